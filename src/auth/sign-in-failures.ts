import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiException } from '../common/errors/api-exception';
import { AppConfig } from '../config/app-config';
import { AttemptCounter } from '../rate-limits/attempt-counter';

const WINDOW_MS = 60 * 60 * 1000;

/**
 * The ceiling on failed sign-ins for one email, from all addresses together:
 * AUTH_ACCOUNT_FAILURE_LIMIT per hour (NIST SP 800-63B §5.2.2). It is far
 * above the per-address limits, so that many addresses cannot lock a user
 * out the way one can be throttled; past it, every attempt for that email is
 * refused, the right password included, until the hour is up. Every email is
 * counted, registered or not, so the ceiling tells nobody which are.
 */
@Injectable()
export class SignInFailures {
  private readonly limit: number;

  constructor(
    private readonly counter: AttemptCounter,
    config: ConfigService<AppConfig, true>,
  ) {
    this.limit = config.get('auth', { infer: true }).accountFailureLimit;
  }

  /** Throws 429 while the email is at its ceiling. */
  async assertBelowCeiling(email: string): Promise<void> {
    const { count, resetInMs } = await this.counter.peek(this.key(email));
    if (count >= this.limit) throw this.refusal(resetInMs);
  }

  async record(email: string): Promise<void> {
    await this.counter.increment(this.key(email), WINDOW_MS);
  }

  private key(email: string): string {
    return `sign_in_failures:${email}`;
  }

  private refusal(resetInMs: number): ApiException {
    return new ApiException('rate_limited', 'Too many failed sign-ins for this account; try again later', {
      retryAfterS: Math.max(1, Math.ceil(resetInMs / 1000)),
    });
  }
}
