import { IsOptional } from 'class-validator';
import { IsDisplayName } from '../../common/validation/display-name.decorator';
import { IsEmailAddress } from '../../users/email';
import { IsPassword } from '../passwords/password';

export class LoginDto {
  /** Trimmed and lower-cased. @example "ada@example.com" */
  @IsEmailAddress()
  email: string;

  /** @example "correct horse battery staple" */
  @IsPassword()
  password: string;
}

export class SignupDto extends LoginDto {
  /** Optional display name; 1 to 100 characters. @example "Ada Lovelace" */
  @IsOptional()
  @IsDisplayName(100)
  name?: string;
}
