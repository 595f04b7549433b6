/**
 * The catalogue of error `code`s (API.md): each with its HTTP status and a
 * typical message, which the OpenAPI examples show. It is open: every module
 * declares its own codes next to the code that throws them, with
 * `defineErrorCodes`, and they join the catalogue, the exception filter and
 * the spec's `ErrorCode` enum. See docs/EXTENDING.md.
 */

/**
 * Every known code, as a key. Modules add theirs by declaration merging, so
 * that `new ApiException('their_code')` type-checks:
 *
 *     export const WIDGET_ERRORS = defineErrorCodes({ widget_locked: [409, 'The widget is locked'] });
 *     declare module '../common/errors/error-catalogue' {
 *       interface ErrorCodes extends CodesOf<typeof WIDGET_ERRORS> {}
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ErrorCodes {}

export type ErrorCode = Extract<keyof ErrorCodes, string>;

export interface ErrorDefinition {
  status: number;
  /** A typical message: the one thrown when none is given, and the spec's example. */
  message: string;
}

export type CodesOf<T> = { [K in keyof T]: true };

const catalogue = new Map<string, ErrorDefinition>();

/** Adds codes to the catalogue; a code defined twice with another status is a programming error. */
export function defineErrorCodes<const T extends Record<string, readonly [status: number, message: string]>>(
  codes: T,
): { readonly [K in keyof T]: K } {
  const names = {} as Record<string, string>;
  for (const [code, [status, message]] of Object.entries(codes)) {
    const known = catalogue.get(code);
    if (known && known.status !== status) {
      throw new Error(`Error code ${code} is already defined with status ${known.status}`);
    }
    catalogue.set(code, { status, message });
    names[code] = code;
  }
  return names as { readonly [K in keyof T]: K };
}

export function errorDefinition(code: string): ErrorDefinition {
  const definition = catalogue.get(code);
  if (!definition) throw new Error(`Error code ${code} is not defined: declare it with defineErrorCodes`);
  return definition;
}

/** Every code defined so far, sorted (the spec's `ErrorCode` enum). */
export function definedErrorCodes(): string[] {
  return [...catalogue.keys()].sort();
}
