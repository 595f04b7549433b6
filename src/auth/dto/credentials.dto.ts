import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsDisplayName } from '../../common/validation/display-name.decorator';
import { normalizeEmail } from '../../users/email';

const toNormalizedEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value);

export class LoginDto {
  /** Trimmed and lower-cased. @example "ada@example.com" */
  @Transform(toNormalizedEmail)
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @Length(8, 256)
  password: string;
}

export class SignupDto extends LoginDto {
  /** Optional display name; 1 to 100 characters. @example "Ada Lovelace" */
  @IsOptional()
  @IsDisplayName(100)
  name?: string;
}
