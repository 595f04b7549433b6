/**
 * The API key format: `mgp_` + 32 hex (128 random bits) + 8 hex (CRC-32 of
 * the first 36 characters). The checksum lets the server reject typos and
 * random guesses without touching the database, and lets secret scanners
 * recognise a real key.
 *
 * The check runs on every request that carries a key, so it is one pass over
 * the characters in JavaScript: for 36 bytes, crossing into zlib's native
 * crc32 costs more than the checksum itself.
 */
import { hash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'mgp_';
const RANDOM_HEX_LENGTH = 32;
const CHECKSUM_HEX_LENGTH = 8;
const CHECKSUMMED_LENGTH = API_KEY_PREFIX.length + RANDOM_HEX_LENGTH;
const API_KEY_LENGTH = CHECKSUMMED_LENGTH + CHECKSUM_HEX_LENGTH;
/** `mgp_` plus 8 hex: enough to recognise a key in a list, useless to an attacker. */
const DISPLAY_PREFIX_LENGTH = 12;

/** CRC-32 (IEEE 802.3, as zlib computes it), one byte at a time. */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc;
});
const CRC_INITIAL = -1;
const nextCrc = (crc: number, byte: number) => CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
const finalCrc = (crc: number) => (crc ^ -1) >>> 0;
const PREFIX_CRC = [...API_KEY_PREFIX].reduce((crc, char) => nextCrc(crc, char.charCodeAt(0)), CRC_INITIAL);

/** Lower-case hex digit values by character code; -1 for anything else. */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, code) => '0123456789abcdef'.indexOf(String.fromCharCode(code)));

export function generateApiKey(): string {
  const body = `${API_KEY_PREFIX}${randomBytes(RANDOM_HEX_LENGTH / 2).toString('hex')}`;
  return `${body}${checksum(body)}`;
}

/** True when the token claims to be an API key; such a token is never tried as a JWT. */
export function hasApiKeyPrefix(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** Shape (`mgp_` + 40 lower-case hex) and checksum; no I/O. */
export function isWellFormedApiKey(token: string): boolean {
  if (token.length !== API_KEY_LENGTH || !hasApiKeyPrefix(token)) return false;
  let crc = PREFIX_CRC;
  let stated = 0;
  for (let i = API_KEY_PREFIX.length; i < API_KEY_LENGTH; i++) {
    const code = token.charCodeAt(i);
    const digit = code < HEX_VALUE.length ? HEX_VALUE[code] : -1;
    if (digit < 0) return false;
    if (i < CHECKSUMMED_LENGTH) crc = nextCrc(crc, code);
    else stated = stated * 16 + digit;
  }
  return stated === finalCrc(crc);
}

export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, DISPLAY_PREFIX_LENGTH);
}

/** Keys carry 128 random bits, so a fast digest is enough: no KDF on the hot path. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

/** The checksum of ASCII text, as 8 lower-case hex characters. */
function checksum(text: string): string {
  let crc = CRC_INITIAL;
  for (let i = 0; i < text.length; i++) crc = nextCrc(crc, text.charCodeAt(i));
  return finalCrc(crc).toString(16).padStart(CHECKSUM_HEX_LENGTH, '0');
}
