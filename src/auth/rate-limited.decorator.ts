import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiErrors } from '../common/decorators/api-errors.decorator';
import { AuthThrottlerGuard } from './auth-throttler.guard';

/** Per-address and per-email attempt limits (AUTH_RATE_LIMIT_MAX per AUTH_RATE_LIMIT_WINDOW_S). */
export const RateLimited = () => applyDecorators(UseGuards(AuthThrottlerGuard), ApiErrors('rate_limited'));
