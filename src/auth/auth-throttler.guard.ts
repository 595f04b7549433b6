import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiException } from '../common/errors/api-exception';

/**
 * Throttles sign-up, sign-in and refresh per client address and per email
 * (see AuthModule for the two named throttlers), with API.md's 429 body.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    return Promise.reject(
      new ApiException('rate_limited', undefined, { retryAfterS: Math.max(1, detail.timeToBlockExpire) }),
    );
  }
}
