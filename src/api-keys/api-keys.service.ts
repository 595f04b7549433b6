import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { ApiKeyPrincipal } from '../common/principal';
import { AppConfig } from '../config/app-config';
import {
  apiKeyDisplayPrefix,
  generateApiKey,
  hasApiKeyPrefix,
  hashApiKey,
  isWellFormedApiKey,
} from './api-key-format';
import { ApiKey } from './api-key.entity';
import { LastUsedRecorder } from './last-used.recorder';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; returned once, never stored. */
  key: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lastUsed: LastUsedRecorder,
    private readonly clock: Clock,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /**
   * Creates a key, holding a per-user transaction lock while it counts the
   * active keys, so that concurrent creates cannot pass the limit.
   */
  async create(userId: string, name: string): Promise<CreatedApiKey> {
    const limit = this.config.get('apiKeys', { infer: true }).activeLimit;
    const key = generateApiKey();
    const apiKey = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('api_keys:' || $1, 0))`, [userId]);
      const repository = manager.getRepository(ApiKey);
      const active = await repository.countBy({ userId, revokedAt: IsNull() });
      if (active >= limit) {
        throw new ApiException(
          'api_key_limit_reached',
          `You can have at most ${limit} active API keys. Revoke one to create another.`,
        );
      }
      return repository.save(
        repository.create({ userId, name, keyPrefix: apiKeyDisplayPrefix(key), keyHash: hashApiKey(key) }),
      );
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

  /** Idempotent: revoking a revoked key returns it unchanged. */
  async revoke(userId: string, id: string): Promise<ApiKey> {
    const apiKey = await this.get(userId, id);
    if (apiKey.revokedAt) return apiKey;
    await this.apiKeys.update({ id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    return this.get(userId, id);
  }

  /**
   * Turns a bearer token into a principal when it is an API key. Returns
   * null for tokens that are not API keys, so the caller can try a JWT.
   */
  async authenticate(token: string): Promise<ApiKeyPrincipal | null> {
    if (!hasApiKeyPrefix(token)) return null;
    if (!isWellFormedApiKey(token)) throw new ApiException('invalid_token', 'Invalid API key');
    const apiKey = await this.apiKeys.findOne({
      where: { keyHash: hashApiKey(token) },
      select: { id: true, userId: true, revokedAt: true },
    });
    if (!apiKey) throw new ApiException('invalid_token', 'Invalid API key');
    if (apiKey.revokedAt) throw new ApiException('api_key_revoked', 'This API key has been revoked');
    this.lastUsed.record(apiKey.id, this.clock.now());
    return { method: 'api_key', userId: apiKey.userId, apiKeyId: apiKey.id };
  }
}
