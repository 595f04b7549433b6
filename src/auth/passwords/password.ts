import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsWellFormedText } from '../../common/validation/well-formed-text';

/**
 * A password as it is hashed and compared: in Unicode normal form NFKC, as
 * NIST SP 800-63B §5.1.1.2 advises, so that one password typed on keyboards
 * that compose characters differently is one password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** A request body's password: 8 to 256 characters of valid Unicode. No composition rules. */
export function IsPassword() {
  return applyDecorators(ApiProperty({ minLength: 8, maxLength: 256 }), IsString(), IsWellFormedText(), Length(8, 256));
}
