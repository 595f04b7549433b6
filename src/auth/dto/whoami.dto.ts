import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Principal } from '../../credentials/principal';
import { UserDto } from '../../users/dto/user.dto';
import { UserProfile } from '../../users/user-profile';

export class AuthMethodDto {
  @ApiProperty({ enum: ['api_key', 'session'], example: 'api_key' })
  method: 'api_key' | 'session';
  @ApiPropertyOptional({ format: 'uuid', description: 'Present when authenticated with an API key' })
  api_key_id?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Present when authenticated with a session token' })
  session_id?: string;
  @ApiProperty({
    type: [String],
    example: ['api_keys:read', 'audit:read'],
    description: 'What the credential may do: `["*"]` is full access, which a session token always has',
  })
  scopes: string[];
}

/** Verifiers hand out the same principal, and the cache the same profile, on every request: so the answer is built once. */
const built = new WeakMap<Principal, { user: UserProfile; dto: WhoamiDto }>();

export class WhoamiDto {
  user: UserDto;
  auth: AuthMethodDto;

  static from(user: UserProfile, principal: Principal): WhoamiDto {
    const known = built.get(principal);
    if (known?.user === user) return known.dto;
    const auth: AuthMethodDto =
      principal.method === 'api_key'
        ? { method: 'api_key', api_key_id: principal.apiKeyId, scopes: [...principal.scopes] }
        : { method: 'session', session_id: principal.sessionId, scopes: [...principal.scopes] };
    const dto = { user: UserDto.from(user), auth };
    built.set(principal, { user, dto });
    return dto;
  }
}
