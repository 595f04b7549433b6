import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { MailModule } from '../mail/mail.module';
import { AppConfig } from '../config/app-config';
import { BearerAuthGuard } from '../credentials/bearer-auth.guard';
import { requestAuthenticator } from '../credentials/connection-memo';
import { DatabaseModule } from '../database/database.module';
import { UsersModule } from '../users/users.module';
import { AccessTokens } from './access-tokens';
import { AccountController } from './account/account.controller';
import { AccountLinks } from './account/account-links';
import { AccountService } from './account/account.service';
import { AccountToken } from './account/account-token.entity';
import { AccountTokensRepository } from './account/account-tokens.repository';
import { AuthController } from './auth.controller';
import { SignInFailures } from './sign-in-failures';
import { BearerStrategy } from './bearer.strategy';
import { CommonPasswords } from './passwords/common-passwords';
import { PasswordsService } from './passwords/passwords.service';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionVerifier } from './session.verifier';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/**
 * Sessions, passwords and the ceiling on failed sign-ins; and the one bearer strategy, which
 * composes the API-key and session verifiers, behind the global guard.
 */
@Module({
  imports: [
    UsersModule,
    ApiKeysModule,
    AuditModule,
    MailModule,
    DatabaseModule.forFeature({ entities: [Session, RefreshToken, AccountToken] }),
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
  ],
  controllers: [AuthController, AccountController],
  providers: [
    PasswordsService,
    CommonPasswords,
    AccountTokensRepository,
    AccountLinks,
    AccountService,
    AccessTokens,
    SessionsRepository,
    SessionsService,
    SessionVerifier,
    BearerStrategy,
    SignInFailures,
    {
      provide: APP_GUARD,
      inject: [Reflector, BearerStrategy, ConfigService],
      useFactory: (reflector: Reflector, strategy: BearerStrategy, config: ConfigService<AppConfig, true>) =>
        new BearerAuthGuard(reflector, requestAuthenticator(strategy, config.get('tuning', { infer: true }).connectionMemo)),
    },
  ],
})
export class AuthModule {}
