import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hasApiKeyPrefix,
  hashApiKey,
  isWellFormedApiKey,
} from './api-key-format';

// Checksums computed independently: Python's zlib.crc32(b'mgp_0123456789abcdef0123456789abcdef') == 0x976be480.
const KNOWN_KEY = 'mgp_0123456789abcdef0123456789abcdef976be480';
const ZERO_KEY = 'mgp_0000000000000000000000000000000040c0c35e';

describe('API key format', () => {
  it('accepts keys whose checksum was computed by hand', () => {
    expect(isWellFormedApiKey(KNOWN_KEY)).toBe(true);
    expect(isWellFormedApiKey(ZERO_KEY)).toBe(true);
  });

  it.each([
    ['a wrong checksum', 'mgp_0123456789abcdef0123456789abcdef976be481'],
    ['a changed random part', 'mgp_1123456789abcdef0123456789abcdef976be480'],
    ['upper-case hex', 'mgp_0123456789ABCDEF0123456789ABCDEF976be480'],
    ['an upper-case prefix', 'MGP_0123456789abcdef0123456789abcdef976be480'],
    ['one character short', KNOWN_KEY.slice(0, -1)],
    ['one character long', `${KNOWN_KEY}0`],
    ['a non-hex character', 'mgp_0123456789abcdef0123456789abcdeg976be480'],
    ['a non-hex character in the checksum', 'mgp_0123456789abcdef0123456789abcdef976be48g'],
    ['a non-ASCII character', 'mgp_0123456789abcdef0123456789abcdeé976be480'],
    ['a character whose low byte is a hex digit', `mgp_0123456789abcdef0123456789abcde${String.fromCharCode(0x100 + 0x66)}976be480`],
    ['no prefix', KNOWN_KEY.slice(4)],
    ['whitespace', ` ${KNOWN_KEY}`],
    ['the bare prefix', 'mgp_'],
  ])('rejects %s', (_, token) => {
    expect(isWellFormedApiKey(token)).toBe(false);
  });

  it('generates well-formed, distinct keys of 128 random bits', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^mgp_[0-9a-f]{40}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
      expect(key.slice(36)).toBe(crc32(key.slice(0, 36)).toString(16).padStart(8, '0'));
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('agrees with zlib on the checksum of any key', () => {
    for (let i = 0; i < 500; i++) {
      const body = `mgp_${randomBytes(16).toString('hex')}`;
      const stated = crc32(body).toString(16).padStart(8, '0');
      expect(isWellFormedApiKey(`${body}${stated}`)).toBe(true);
      const wrong = ((crc32(body) ^ (1 << i % 32)) >>> 0).toString(16).padStart(8, '0');
      expect(isWellFormedApiKey(`${body}${wrong}`)).toBe(false);
    }
  });

  it('tells API keys from other tokens by prefix', () => {
    expect(hasApiKeyPrefix(KNOWN_KEY)).toBe(true);
    expect(hasApiKeyPrefix('mgp_garbage')).toBe(true);
    expect(hasApiKeyPrefix('eyJhbGciOiJIUzI1NiJ9.e30.x')).toBe(false);
  });

  it('displays the first 12 characters', () => {
    expect(apiKeyDisplayPrefix(KNOWN_KEY)).toBe('mgp_01234567');
  });

  it('hashes with SHA-256', () => {
    // printf %s 'mgp_0000000000000000000000000000000040c0c35e' | sha256sum
    expect(hashApiKey(ZERO_KEY)).toBe('b02bb671c203c3e388a0a42902cb7333700b42473aa0eda508fd2eeb4add9075');
  });
});
