import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from '../common/filters/error-body.dto';
import { AuthThrottlerGuard } from './auth-throttler.guard';

/** Per-address and per-email attempt limits (AUTH_RATE_LIMIT_MAX per AUTH_RATE_LIMIT_WINDOW_S). */
export const RateLimited = () =>
  applyDecorators(
    UseGuards(AuthThrottlerGuard),
    ApiTooManyRequestsResponse({
      type: ErrorBodyDto,
      description: '`rate_limited`: too many attempts. `Retry-After` says how many seconds to wait.',
      headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
    }),
  );

