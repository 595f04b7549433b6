import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user.dto';
import { IssuedSession } from '../sessions.service';
import { Session } from '../session.entity';

export class SessionDto {
  /** A JWT (HS256) valid for one hour. @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwYjZm..." */
  access_token: string;
  @ApiProperty({ enum: ['bearer'], example: 'bearer' })
  token_type: 'bearer';
  /** Seconds. @example 3600 */
  expires_in: number;
  /** Unix seconds. @example 1795777200 */
  expires_at: number;
  /** Opaque; spend it at POST /v1/auth/refresh for a new session token. @example "q3J4Xv0cW2l9dZr8b1Yk5n6Tt7Hs0PaLm2Ee4Ff6Gg8" */
  refresh_token: string;
  user: UserDto;

  static from(issued: IssuedSession): SessionDto {
    return {
      access_token: issued.accessToken,
      token_type: 'bearer',
      expires_in: issued.expiresIn,
      expires_at: issued.expiresAt,
      refresh_token: issued.refreshToken,
      user: UserDto.from(issued.user),
    };
  }
}

export class SessionInfoDto {
  /** @example "9a1d3c4e-2b6f-4e8a-9c0d-1e2f3a4b5c6d" */
  id: string;
  /** @example "2026-11-27T10:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-27T10:30:00.000Z" */
  refreshed_at: string;
  /** @example "Mozilla/5.0" */
  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;
  /** @example "203.0.113.7" */
  @ApiProperty({ type: String, nullable: true })
  ip: string | null;
  /** True for the session making this request. @example true */
  current: boolean;

  static from(session: Session, currentSessionId: string | undefined): SessionInfoDto {
    return {
      id: session.id,
      created_at: session.createdAt.toISOString(),
      refreshed_at: session.refreshedAt.toISOString(),
      user_agent: session.userAgent,
      ip: session.ip,
      current: session.id === currentSessionId,
    };
  }
}

export class SessionListDto {
  sessions: SessionInfoDto[];
}
