import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { IsWellFormedText } from './well-formed-text';

const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
/** Characters that reorder the text around them (U+202E turns "gpj.exe" into "exe.jpg"), and invisible marks. */
const NO_BIDI_CONTROLS = /^[^\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/;

/**
 * A human-readable name: trimmed and NFC-normalised, 1 to `max` characters,
 * valid Unicode, no control characters and no bidirectional controls.
 */
export function IsDisplayName(max: number) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().normalize('NFC') : value)),
    IsString(),
    IsWellFormedText(),
    Length(1, max),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
    Matches(NO_BIDI_CONTROLS, { message: '$property must not contain bidirectional control characters' }),
  );
}
