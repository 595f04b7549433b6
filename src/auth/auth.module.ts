import { ExecutionContext, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { seconds, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createSecretKey } from 'node:crypto';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { BearerAuthGuard } from '../common/guards/bearer-auth.guard';
import { BearerAuthenticator } from '../common/guards/bearer-authenticator';
import { AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AccessTokensService } from './access-tokens.service';
import { AuthController } from './auth.controller';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { BearerStrategy } from './bearer.strategy';
import { PasswordsService } from './passwords.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';

const emailOf = (body: unknown): string | undefined => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
};

@Module({
  imports: [
    UsersModule,
    ApiKeysModule,
    TypeOrmModule.forFeature([Session, RefreshToken]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const { jwtSecret, jwtIssuer, jwtAudience } = config.get('auth', { infer: true });
        return {
          // A KeyObject, not the string: jsonwebtoken would otherwise derive one on every
          // verification, which costs more than the rest of authentication together.
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
    AccessTokensService,
    SessionsService,
    BearerStrategy,
    { provide: BearerAuthenticator, useExisting: BearerStrategy },
    AuthThrottlerGuard,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
export class AuthModule {}
