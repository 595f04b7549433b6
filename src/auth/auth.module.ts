import { ExecutionContext, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { seconds, ThrottlerModule } from '@nestjs/throttler';
import { createSecretKey } from 'node:crypto';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AppConfig } from '../config/app-config';
import { BearerAuthGuard } from '../credentials/bearer-auth.guard';
import { requestAuthenticator } from '../credentials/connection-memo';
import { DatabaseModule } from '../database/database.module';
import { normalizeEmail } from '../users/email';
import { UsersModule } from '../users/users.module';
import { AccessTokens } from './access-tokens';
import { AuthController } from './auth.controller';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { BearerStrategy } from './bearer.strategy';
import { PasswordsService } from './passwords/passwords.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionVerifier } from './session.verifier';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

const emailOf = (body: unknown): string | undefined => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : undefined;
};

/**
 * Sessions, passwords and sign-in limits; and the one bearer strategy, which
 * composes the API-key and session verifiers, behind the global guard.
 */
@Module({
  imports: [
    UsersModule,
    ApiKeysModule,
    DatabaseModule.forFeature({ entities: [Session, RefreshToken] }),
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const { jwtSecret, jwtIssuer, jwtAudience } = config.get('auth', { infer: true });
        return {
          // A KeyObject, not the string: jsonwebtoken would otherwise derive one on every verification.
          secret: createSecretKey(Buffer.from(jwtSecret)),
          signOptions: { algorithm: 'HS256', issuer: jwtIssuer, audience: jwtAudience },
          verifyOptions: { algorithms: ['HS256'], issuer: jwtIssuer, audience: jwtAudience },
        };
      },
    }),
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const { rateLimitMax, rateLimitWindowS } = config.get('auth', { infer: true });
        const limits = { limit: rateLimitMax, ttl: seconds(rateLimitWindowS) };
        return [
          { name: 'address', ...limits, getTracker: (request: Record<string, string>) => request.ip },
          {
            name: 'email',
            ...limits,
            getTracker: (request: Record<string, unknown>) => emailOf(request.body) ?? '',
            skipIf: (context: ExecutionContext) => emailOf(context.switchToHttp().getRequest<{ body?: unknown }>().body) === undefined,
          },
        ];
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    PasswordsService,
    AccessTokens,
    SessionsRepository,
    SessionsService,
    SessionVerifier,
    BearerStrategy,
    AuthThrottlerGuard,
    {
      provide: APP_GUARD,
      inject: [Reflector, BearerStrategy, ConfigService],
      useFactory: (reflector: Reflector, strategy: BearerStrategy, config: ConfigService<AppConfig, true>) =>
        new BearerAuthGuard(reflector, requestAuthenticator(strategy, config.get('tuning', { infer: true }).connectionMemo)),
    },
  ],
})
export class AuthModule {}
