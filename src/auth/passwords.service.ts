import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { AppConfig } from '../config/app-config';

/** Linux nice increment for the hashing threads: they yield the CPU to request handling. */
const HASHING_NICE_INCREMENT = 19;

/**
 * Password hashing with argon2id, off the event loop and out of its way: at
 * most `PASSWORD_HASH_CONCURRENCY` hashes run at once, each in a worker
 * thread of lower CPU priority; further logins queue. A burst of logins
 * therefore slows logins, not the API-key and session traffic beside them.
 */
@Injectable()
export class PasswordsService implements OnModuleInit, OnApplicationShutdown {
  /** Verified against when the email is unknown, so that both failures cost the same. */
  private dummyHash!: string;
  private readonly workers: Piscina;

  constructor(config: ConfigService<AppConfig, true>) {
    const concurrency = config.get('auth', { infer: true }).passwordHashConcurrency;
    this.workers = new Piscina({
      filename: join(__dirname, 'password-hashing.worker.js'),
      minThreads: 1,
      maxThreads: concurrency,
      niceIncrement: HASHING_NICE_INCREMENT,
    });
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(16).toString('hex'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.workers.destroy();
  }

  hash(password: string): Promise<string> {
    return this.workers.run({ password }, { name: 'hash' }) as Promise<string>;
  }

  /** Always does one full verification, also when there is no stored hash. */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = (await this.workers.run({ hash: storedHash ?? this.dummyHash, password }, { name: 'verify' })) as boolean;
      return storedHash !== undefined && matches;
    } catch {
      return false;
    }
  }
}
