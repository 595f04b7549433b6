/**
 * The one normalisation of an email address, applied before it is stored,
 * compared or counted (the per-email rate limit): trimmed and lower-cased.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
