import { DynamicModule, ExecutionContext, Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { seconds, ThrottlerModule } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { rateLimitAddress } from '../common/http/client-info';
import { AppConfig } from '../config/app-config';
import { AttemptCounter, MemoryAttemptCounter } from './attempt-counter';
import { RedisAttemptCounter } from './redis-attempt-counter';
import { CounterThrottlerStorage } from './counter-throttler-storage';
import { RateLimitGuard } from './rate-limited.decorator';

export interface RateLimitsOptions {
  /** Who a request's attempt is about (the email in its body), normalised; undefined when nobody. */
  subjectOf: (body: unknown) => string | undefined;
}

/**
 * Every rate limit of the service: `@RateLimited()` routes, and counters that
 * features keep themselves (failed sign-ins per email). They count through
 * one `AttemptCounter`: in Redis, shared by every instance, with `REDIS_URL`
 * (in memory while Redis cannot be reached); in memory without it.
 */
@Global()
@Module({})
export class RateLimitsModule {
  static forRoot({ subjectOf }: RateLimitsOptions): DynamicModule {
    const subject = (request: FastifyRequest) => subjectOf(request.body);
    // The throttler hands its tracker functions the request as a plain record.
    const address = (request: Record<string, unknown>) => rateLimitAddress(request as unknown as FastifyRequest);
    const addressAndSubject = (request: Record<string, unknown>) =>
      `${address(request)} ${subject(request as unknown as FastifyRequest) ?? ''}`;
    return {
      module: RateLimitsModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ConfigService, AttemptCounter],
          useFactory: (config: ConfigService<AppConfig, true>, counter: AttemptCounter) => {
            const { rateLimitMax, rateLimitWindowS } = config.get('auth', { infer: true });
            const limits = { limit: rateLimitMax, ttl: seconds(rateLimitWindowS) };
            return {
              storage: new CounterThrottlerStorage(counter),
              throttlers: [
                { name: 'address', ...limits, getTracker: address },
                {
                  name: 'address_subject',
                  ...limits,
                  getTracker: addressAndSubject,
                  skipIf: (context: ExecutionContext) => subject(context.switchToHttp().getRequest<FastifyRequest>()) === undefined,
                },
              ],
            };
          },
        }),
      ],
      providers: [
        {
          provide: AttemptCounter,
          inject: [ConfigService],
          useFactory: (config: ConfigService<AppConfig, true>) => {
            const { redisUrl } = config.get('rateLimits', { infer: true });
            return redisUrl ? new RedisAttemptCounter(redisUrl) : new MemoryAttemptCounter();
          },
        },
        RateLimitGuard,
      ],
      exports: [AttemptCounter, RateLimitGuard, ThrottlerModule],
    };
  }
}
