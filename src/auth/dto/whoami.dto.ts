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
}

export class WhoamiDto {
  user: UserDto;
  auth: AuthMethodDto;

  static from(user: UserProfile, principal: Principal): WhoamiDto {
    const auth: AuthMethodDto =
      principal.method === 'api_key'
        ? { method: 'api_key', api_key_id: principal.apiKeyId }
        : { method: 'session', session_id: principal.sessionId };
    return { user: UserDto.from(user), auth };
  }
}
