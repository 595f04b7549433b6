import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isEmail, MaxLength, ValidateBy } from 'class-validator';

/**
 * The one normalisation of an email address, applied before it is stored,
 * compared or counted (the rate limits): trimmed, lower-cased, and in Unicode
 * normal form C, so that the composed and decomposed typings of one address
 * are one address.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}

/**
 * A request body's email: normalised, then a valid address of at most 254
 * characters. Text that is not valid Unicode is refused before the address
 * check, which would throw on it.
 */
export function IsEmailAddress() {
  return applyDecorators(
    ApiProperty({ format: 'email', maxLength: 254 }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.isWellFormed() ? normalizeEmail(value) : value)),
    ValidateBy({
      name: 'isEmailAddress',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.isWellFormed() && isEmail(value),
        defaultMessage: () => 'email must be an email',
      },
    }),
    MaxLength(254),
  );
}

/** The normalised email of a request body, for counting attempts per email; undefined when it has none. */
export function emailOfBody(body: unknown): string | undefined {
  const email = (body as { email?: unknown } | null | undefined)?.email;
  return typeof email === 'string' && email.isWellFormed() ? normalizeEmail(email) : undefined;
}
