import { ApiProperty } from '@nestjs/swagger';
import { UserProfile } from '../user-profile';

/** A profile served from the cache is the same object on every request: so is its DTO, built once. */
const built = new WeakMap<UserProfile, UserDto>();

export class UserDto {
  /** @example "0b6f5d1e-5c1a-4d8e-9a57-3f5c2b1e9d10" */
  id: string;
  /** @example "ada@example.com" */
  email: string;
  /** @example "Ada Lovelace" */
  name: string | null;
  /** @example "2026-11-27T10:00:00.000Z" */
  created_at: string;
  /** When the email was verified by a link sent to it; null until then. @example "2026-11-27T10:02:00.000Z" */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  email_verified_at: string | null;

  static from(user: UserProfile): UserDto {
    let dto = built.get(user);
    if (!dto) {
      dto = Object.freeze({
        id: user.id,
        email: user.email,
        name: user.name,
        created_at: user.createdAt.toISOString(),
        email_verified_at: user.emailVerifiedAt?.toISOString() ?? null,
      });
      built.set(user, dto);
    }
    return dto;
  }
}
