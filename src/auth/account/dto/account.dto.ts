import { IsString, Length } from 'class-validator';
import { IsEmailAddress } from '../../../users/email';
import { IsPassword } from '../../passwords/password';

export class ChangePasswordDto {
  /** @example "correct horse battery staple" */
  @IsString()
  @Length(1, 256)
  current_password: string;

  /** 8 to 256 characters, not one of the most common passwords. @example "a new and better passphrase" */
  @IsPassword()
  new_password: string;
}

export class DeleteAccountDto {
  /** The account's password, to confirm. @example "correct horse battery staple" */
  @IsString()
  @Length(1, 256)
  password: string;
}

export class PasswordResetRequestDto {
  /** @example "ada@example.com" */
  @IsEmailAddress()
  email: string;
}

export class LinkTokenDto {
  /** The `token` of the link in the message. @example "Jt0vZ0bqQm6yq4m1JXl0sT3cYk8qYw7aVb5nS2dP9eI" */
  @IsString()
  @Length(1, 512)
  token: string;
}

export class PasswordResetDto extends LinkTokenDto {
  /** 8 to 256 characters, not one of the most common passwords. @example "a new and better passphrase" */
  @IsPassword()
  new_password: string;
}

export class AcceptedDto {
  /** @example "If this email has an account, a link is on its way." */
  message: string;
}
