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

  static from(user: UserProfile): UserDto {
    let dto = built.get(user);
    if (!dto) {
      dto = Object.freeze({ id: user.id, email: user.email, name: user.name, created_at: user.createdAt.toISOString() });
      built.set(user, dto);
    }
    return dto;
  }
}
