/**
 * The scope catalogue. Like error codes, it is open: each module declares the
 * scopes its routes need next to those routes, and they join the catalogue
 * that `GET /v1/api-keys/scopes` lists and key creation validates against:
 *
 *     export const WIDGET_SCOPES = defineScopes({
 *       'widgets:read': 'Read your widgets',
 *     });
 *     declare module '../credentials/scopes' {
 *       interface Scopes extends ScopesOf<typeof WIDGET_SCOPES> {}
 *     }
 *
 * A route names the one it needs with `@RequiresScope('widgets:read')`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Scopes {}

export type ScopeName = Extract<keyof Scopes, string>;

export type ScopesOf<T> = { [K in keyof T]: true };

/** Every scope: what a key created without `scopes` holds, and what a session token holds. */
export const FULL_ACCESS = '*';

/** The scopes of a session token, and of a full-access key. */
export const FULL_ACCESS_SCOPES: readonly string[] = Object.freeze([FULL_ACCESS]);

export interface ScopeDefinition {
  name: string;
  description: string;
}

const catalogue = new Map<string, string>();

/** `area:verb`: lower case, digits and `_`, such as `api_keys:write`. */
const SCOPE_NAME = /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/;

export function defineScopes<const T extends Record<string, string>>(scopes: T): { readonly [K in keyof T]: K } {
  const names = {} as Record<string, string>;
  for (const [name, description] of Object.entries(scopes)) {
    if (!SCOPE_NAME.test(name)) throw new Error(`A scope is "area:verb": ${name}`);
    const known = catalogue.get(name);
    if (known !== undefined && known !== description) throw new Error(`The scope ${name} is defined twice`);
    catalogue.set(name, description);
    names[name] = name;
  }
  return names as { readonly [K in keyof T]: K };
}

/** Every scope defined so far, sorted by name. */
export function scopeCatalogue(): ScopeDefinition[] {
  return [...catalogue].map(([name, description]) => ({ name, description })).sort((a, b) => a.name.localeCompare(b.name));
}

export function isKnownScope(name: string): boolean {
  return catalogue.has(name);
}

/** Whether `held` (a credential's scopes) includes `needed`. */
export function holdsScope(held: readonly string[], needed: string): boolean {
  return held[0] === FULL_ACCESS || held.includes(needed);
}

/** Whether a key with `requested` would hold nothing that `held` does not: no escalation. */
export function isWithin(requested: readonly string[], held: readonly string[]): boolean {
  if (held[0] === FULL_ACCESS) return true;
  return requested.every((scope) => scope !== FULL_ACCESS && held.includes(scope));
}

/**
 * A key's scopes as stored: `["*"]` alone, or known scopes without repeats,
 * in the catalogue's order. Unknown names are the caller's to refuse first.
 */
export function normalizeScopes(requested: readonly string[] | undefined): string[] {
  if (!requested || requested.includes(FULL_ACCESS)) return [FULL_ACCESS];
  return [...new Set(requested)].sort();
}
