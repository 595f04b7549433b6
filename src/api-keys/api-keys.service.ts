import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { MaybePromise, thenMaybe } from '../common/maybe-promise';
import { ApiKeyPrincipal } from '../common/principal';
import { AppConfig } from '../config/app-config';
import { CoherentCache } from '../database/coherent-cache';
import { InvalidationBus } from '../database/invalidation-bus';
import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hasApiKeyPrefix,
  hashApiKey,
  isWellFormedApiKey,
} from './api-key-format';
import { ApiKey } from './api-key.entity';
import { LastUsedRecorder } from './last-used.recorder';

/** What verifying a key needs, cached by the key's digest. */
interface VerifiedKey {
  id: string;
  userId: string;
  revoked: boolean;
}

/** A well-formed API key, by its digest: what the key alone tells. */
export interface ApiKeyCredential {
  method: 'api_key';
  keyHash: string;
}

const invalidApiKey = () => new ApiException('invalid_token', 'Invalid API key');

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; returned once, never stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  /** Keyed by SHA-256 digest; emptied of a key when it is created or revoked, on every instance. */
  private readonly verified: CoherentCache<VerifiedKey>;

  constructor(
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    private readonly bus: InvalidationBus,
    private readonly lastUsed: LastUsedRecorder,
    private readonly clock: Clock,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.verified = new CoherentCache<VerifiedKey>(bus, {
      ...config.get('apiKeys', { infer: true }).cache,
      keysToForget: (event) => (event.kind === 'api_key_changed' ? [event.keyHash] : []),
    });
  }

  /**
   * Creates a key, holding a per-user transaction lock while it counts the
   * active keys, so that concurrent creates cannot pass the limit.
   */
  async create(userId: string, name: string): Promise<CreatedApiKey> {
    const limit = this.config.get('apiKeys', { infer: true }).activeLimit;
    const key = generateApiKey();
    const keyHash = hashApiKey(key);
    const apiKey = await this.bus.transactionWithEvents(async (manager, emit) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('api_keys:' || $1, 0))`, [userId]);
      const repository = manager.getRepository(ApiKey);
      const active = await repository.countBy({ userId, revokedAt: IsNull() });
      if (active >= limit) {
        throw new ApiException(
          'api_key_limit_reached',
          `You can have at most ${limit} active API keys. Revoke one to create another.`,
        );
      }
      // Another instance may have cached this digest as unknown (only if it was guessed, but still).
      emit({ kind: 'api_key_changed', keyHash });
      return repository.save(repository.create({ userId, name, keyPrefix: apiKeyDisplayPrefix(key), keyHash }));
    });
    return { apiKey, key };
  }

  /** Active keys first, then newest first. */
  list(userId: string): Promise<ApiKey[]> {
    return this.apiKeys
      .createQueryBuilder('k')
      .where('k.user_id = :userId', { userId })
      .orderBy('k.revoked_at IS NULL', 'DESC')
      .addOrderBy('k.created_at', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .getMany();
  }

  /** Another user's key is indistinguishable from a missing one. */
  async get(userId: string, id: string): Promise<ApiKey> {
    const apiKey = await this.apiKeys.findOneBy({ id, userId });
    if (!apiKey) throw new ApiException('not_found', 'API key not found');
    return apiKey;
  }

  async rename(userId: string, id: string, name: string): Promise<ApiKey> {
    const apiKey = await this.get(userId, id);
    apiKey.name = name;
    return this.apiKeys.save(apiKey);
  }

  /** Takes effect at once on every instance. Idempotent: revoking a revoked key returns it unchanged. */
  async revoke(userId: string, id: string): Promise<ApiKey> {
    const apiKey = await this.get(userId, id);
    if (apiKey.revokedAt) return apiKey;
    await this.bus.transactionWithEvents(async (manager, emit) => {
      await manager.update(ApiKey, { id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      emit({ kind: 'api_key_changed', keyHash: apiKey.keyHash });
    });
    return this.get(userId, id);
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

  /** Admits a key that is known and not revoked: synchronously when memory knows it, which is the steady state. */
  admit(credential: ApiKeyCredential): MaybePromise<ApiKeyPrincipal> {
    return thenMaybe(this.verified.get(credential.keyHash, this.findVerifiedKey), this.toPrincipal);
  }

  // Arrow properties: bound once, not a closure per request.
  private readonly toPrincipal = (apiKey: VerifiedKey | null): ApiKeyPrincipal => {
    if (!apiKey) throw invalidApiKey();
    if (apiKey.revoked) throw new ApiException('api_key_revoked', 'This API key has been revoked');
    this.lastUsed.record(apiKey.id, this.clock.nowMs());
    return { method: 'api_key', userId: apiKey.userId, apiKeyId: apiKey.id };
  };

  private readonly findVerifiedKey = async (keyHash: string): Promise<VerifiedKey | null> => {
    const apiKey = await this.apiKeys.findOne({
      where: { keyHash },
      select: { id: true, userId: true, revokedAt: true },
    });
    return apiKey && { id: apiKey.id, userId: apiKey.userId, revoked: apiKey.revokedAt !== null };
  };
}
