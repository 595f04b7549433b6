import { Algorithm, hash, verify } from '@node-rs/argon2';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Semaphore } from 'async-mutex';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. Runs on the libuv pool, not the event loop. */
const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordsService implements OnModuleInit {
  /** Verified against when the email is unknown, so that both failures cost the same. */
  private dummyHash!: string;
  /**
   * argon2 is CPU-bound for tens of milliseconds. Left unbounded, a burst of
   * logins would take every core and slow every other request; bounded, the
   * logins queue and the event loop keeps a core.
   */
  private readonly slots: Semaphore;

  constructor(config: ConfigService<AppConfig, true>) {
    this.slots = new Semaphore(config.get('auth', { infer: true }).passwordHashConcurrency);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(16).toString('hex'));
  }

  hash(password: string): Promise<string> {
    return this.slots.runExclusive(() => hash(password, ARGON2_OPTIONS));
  }

  /** Always does one full verification, also when there is no stored hash. */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await this.slots.runExclusive(() => verify(storedHash ?? this.dummyHash, password));
      return storedHash !== undefined && matches;
    } catch {
      return false;
    }
  }
}
