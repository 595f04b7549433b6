import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Text that is valid Unicode: no lone surrogate, which JSON can carry
 * (`"\ud800"`) but UTF-8 cannot, and which would be stored as U+FFFD.
 */
export function IsWellFormedText(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isWellFormedText',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.isWellFormed(),
        defaultMessage: () => '$property must be valid Unicode text (no lone surrogates)',
      },
    },
    options,
  );
}
