import { User } from './user.entity';

/** A user as others may see it: never the password hash. What the profile cache holds. */
export interface UserProfile {
  id: string;
  email: string;
  name: string | null;
  createdAt: Date;
  emailVerifiedAt: Date | null;
}

export const profileOf = ({ id, email, name, createdAt, emailVerifiedAt }: User): UserProfile => ({
  id,
  email,
  name,
  createdAt,
  emailVerifiedAt,
});
