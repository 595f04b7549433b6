import * as argon2 from '@node-rs/argon2';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../config/app-config';
import { PasswordsService } from './passwords.service';

jest.mock('@node-rs/argon2', () => {
  const actual = jest.requireActual<typeof argon2>('@node-rs/argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});

describe('PasswordsService', () => {
  const config = { get: () => ({ passwordHashConcurrency: 1 }) } as unknown as ConfigService<AppConfig, true>;
  const passwords = new PasswordsService(config);
  beforeAll(() => passwords.onModuleInit());

  it('hashes with argon2id at m=19 MiB, t=2, p=1', async () => {
    expect(await passwords.hash('correct horse')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await passwords.hash('correct horse');
    expect(await passwords.verify(stored, 'correct horse')).toBe(true);
    expect(await passwords.verify(stored, 'wrong horse')).toBe(false);
  });

  it('still runs one full verification when there is no stored hash', async () => {
    const verify = argon2.verify as jest.Mock;
    verify.mockClear();
    expect(await passwords.verify(undefined, 'anything at all')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0][0]).toMatch(/^\$argon2id\$/);
  });

  it('runs no more argon2 computations at once than configured', async () => {
    const verify = argon2.verify as jest.Mock;
    let running = 0;
    let most = 0;
    const actual = jest.requireActual<typeof argon2>('@node-rs/argon2');
    verify.mockImplementation(async (...args: Parameters<typeof argon2.verify>) => {
      most = Math.max(most, ++running);
      try {
        return await actual.verify(...args);
      } finally {
        running--;
      }
    });
    await Promise.all(Array.from({ length: 4 }, () => passwords.verify(undefined, 'anything')));
    expect(most).toBe(1);
    verify.mockImplementation(actual.verify);
  });

  it('treats a corrupt stored hash as a failed login, not an error', async () => {
    expect(await passwords.verify('not-a-hash', 'anything')).toBe(false);
  });
});
