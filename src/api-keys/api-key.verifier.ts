/**
 * Verifies API keys on the hot path: a key's shape and checksum are checked
 * with no I/O, its digest is looked up in a coherent cache, and only a miss
 * reads the database. At steady state `admit` answers synchronously.
 */
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiException } from '../common/errors/api-exception';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { CoherentCache } from '../credentials/coherent-cache';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { MaybePromise, thenMaybe } from '../credentials/maybe-promise';
import { ApiKeyPrincipal } from '../credentials/principal';
import { hasApiKeyPrefix, hashApiKey, isWellFormedApiKey } from './api-key-format';
import './api-key.errors';
import { ApiKeysRepository } from './api-keys.repository';
import { LastUsedRecorder } from './last-used.recorder';

/** The invalidation events of the verification cache, keyed by the key's digest: a key was created, revoked or rolled. */
export const API_KEY_CHANGED = 'api_key_changed';

/** What the cache holds for a known key; the principal, scopes and all, is the same object on every request. */
interface VerifiedKey {
  principal: ApiKeyPrincipal;
  revoked: boolean;
  /** Infinity for a key that never expires. */
  expiresAtMs: number;
}

/** A well-formed API key, by its digest: what the key alone tells. */
export interface ApiKeyCredential {
  method: 'api_key';
  keyHash: string;
}

const invalidApiKey = () => new ApiException('invalid_token', 'Invalid API key');

@Injectable()
export class ApiKeyVerifier {
  private readonly verified: CoherentCache<VerifiedKey>;

  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly lastUsed: LastUsedRecorder,
    private readonly clock: Clock,
    bus: InvalidationBus,
    config: ConfigService<AppConfig, true>,
  ) {
    this.verified = new CoherentCache(bus, { kind: API_KEY_CHANGED, ...config.get('apiKeys', { infer: true }).cache });
  }

  /**
   * What a bearer token alone tells about it as an API key: null when it is
   * not one (the caller tries a JWT), a 401 when it is malformed, else its
   * digest. Touches neither the cache nor the database.
   */
  read(token: string): ApiKeyCredential | null {
    if (!hasApiKeyPrefix(token)) return null;
    if (!isWellFormedApiKey(token)) throw invalidApiKey();
    return { method: 'api_key', keyHash: hashApiKey(token) };
  }

  /**
   * Admits a key that is known, not revoked and not expired: synchronously
   * when memory knows it, which is the steady state. Expiry is checked here,
   * on every request, so a kept-alive connection cannot outlive its key.
   */
  admit(credential: ApiKeyCredential): MaybePromise<ApiKeyPrincipal> {
    return thenMaybe(this.verified.get(credential.keyHash, this.load), this.toPrincipal);
  }

  // Arrow properties: bound once, not a closure per request.
  private readonly load = async (keyHash: string): Promise<VerifiedKey | null> => {
    const apiKey = await this.apiKeys.findVerification(keyHash);
    return (
      apiKey && {
        principal: { method: 'api_key', userId: apiKey.userId, apiKeyId: apiKey.id, scopes: Object.freeze(apiKey.scopes) },
        revoked: apiKey.revoked,
        expiresAtMs: apiKey.expiresAt?.getTime() ?? Infinity,
      }
    );
  };

  private readonly toPrincipal = (apiKey: VerifiedKey | null): ApiKeyPrincipal => {
    if (!apiKey) throw invalidApiKey();
    if (apiKey.revoked) throw new ApiException('api_key_revoked', 'This API key has been revoked');
    const now = this.clock.nowMs();
    if (now >= apiKey.expiresAtMs) throw new ApiException('api_key_expired', 'This API key has expired');
    this.lastUsed.record(apiKey.principal.apiKeyId, now);
    return apiKey.principal;
  };
}
