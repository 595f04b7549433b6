/**
 * The API key format: `mgp_` + 32 hex (128 random bits) + 8 hex (CRC-32 of
 * the first 36 characters). The checksum lets the server reject typos and
 * random guesses without touching the database, and lets secret scanners
 * recognise a real key.
 */
import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const API_KEY_PREFIX = 'mgp_';
const API_KEY_SHAPE = /^mgp_[0-9a-f]{40}$/;
const CHECKSUMMED_LENGTH = API_KEY_PREFIX.length + 32;
/** `mgp_` plus 8 hex: enough to recognise a key in a list, useless to an attacker. */
const DISPLAY_PREFIX_LENGTH = 12;

export function generateApiKey(): string {
  const body = `${API_KEY_PREFIX}${randomBytes(16).toString('hex')}`;
  return `${body}${checksum(body)}`;
}

/** True when the token claims to be an API key; such a token is never tried as a JWT. */
export function hasApiKeyPrefix(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Shape and checksum; no I/O. */
export function isWellFormedApiKey(token: string): boolean {
  return (
    API_KEY_SHAPE.test(token) &&
    parseInt(token.slice(CHECKSUMMED_LENGTH), 16) === crc32(token.slice(0, CHECKSUMMED_LENGTH))
  );
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Keys carry 128 random bits, so a fast digest is enough: no KDF on the hot path. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

function checksum(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}
