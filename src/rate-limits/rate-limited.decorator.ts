import { applyDecorators, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { ApiException } from '../common/errors/api-exception';

/** @nestjs/throttler's guard, answering with API.md's 429 body and `Retry-After`. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    return Promise.reject(new ApiException('rate_limited', undefined, { retryAfterS: Math.max(1, detail.timeToBlockExpire) }));
  }
}

/**
 * AUTH_RATE_LIMIT_MAX attempts per AUTH_RATE_LIMIT_WINDOW_S, counted for each
 * route separately, per client address and per (address, subject) pair,
 * where the subject is the body's email (see RateLimitsModule).
 */
export const RateLimited = () => applyDecorators(UseGuards(RateLimitGuard), ApiErrors('rate_limited'));
