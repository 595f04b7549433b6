import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiException } from '../common/errors/api-exception';

/**
 * Throttles sign-up, sign-in and refresh per client address and per email
 * (see AuthModule for the two named throttlers), with API.md's 429 body.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    return Promise.reject(new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      'rate_limited',
      'Too many attempts; try again later',
      undefined,
      Math.max(1, detail.timeToBlockExpire),
    ));
  }
}
