import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** A human-readable name: trimmed, 1 to `max` characters, no control characters. */
export function IsDisplayName(max: number) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, max),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
  );
}
