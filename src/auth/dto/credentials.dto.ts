import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsDisplayName } from '../../common/validation/display-name.decorator';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  /** Trimmed and lower-cased. @example "ada@example.com" */
  @Transform(normalizeEmail)
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
