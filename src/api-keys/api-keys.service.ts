import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { AuditActor } from '../audit/audit-actor';
import { AuditLog } from '../audit/audit-log';
import { AppConfig } from '../config/app-config';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { Transaction, Transactions } from '../database/transactions';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey } from './api-key-format';
import { ApiKey } from './api-key.entity';
import './api-key.errors';
import './api-key.events';
import { API_KEY_CHANGED } from './api-key.verifier';
import { ApiKeysRepository } from './api-keys.repository';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; returned once, never stored. */
  key: string;
}

const notFound = () => new ApiException('not_found', 'API key not found');

/** Creating, listing, renaming and revoking a user's keys. */
@Injectable()
export class ApiKeysService {
  private readonly activeLimit: number;

  constructor(
    private readonly apiKeys: ApiKeysRepository,
    private readonly transactions: Transactions,
    private readonly bus: InvalidationBus,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    config: ConfigService<AppConfig, true>,
  ) {
    this.activeLimit = config.get('apiKeys', { infer: true }).activeLimit;
  }

  /** Counts the active keys under a per-user lock, so that concurrent creates cannot pass the limit. */
  async create(userId: string, name: string, actor: AuditActor): Promise<CreatedApiKey> {
    const key = generateApiKey();
    const keyHash = hashApiKey(key);
    const apiKey = await this.transactions.run(async (tx) => {
      await this.apiKeys.lockKeysOf(tx, userId);
      if ((await this.apiKeys.countActive(tx, userId)) >= this.activeLimit) {
        throw new ApiException(
          'api_key_limit_reached',
          `You can have at most ${this.activeLimit} active API keys. Revoke one to create another.`,
        );
      }
      // Another instance may have cached this digest as unknown (only if it was guessed, but still).
      await this.bus.publish(tx, API_KEY_CHANGED, [keyHash]);
      const created = await this.apiKeys.insert(tx, { userId, name, keyPrefix: apiKeyDisplayPrefix(key), keyHash });
      await this.audit.record(tx, { type: 'api_key.created', userId, actor, subject: { apiKeyId: created.id } });
      return created;
    });
    return { apiKey, key };
  }

  /** Active keys first, then newest first. */
  list(userId: string): Promise<ApiKey[]> {
    return this.apiKeys.listOf(userId);
  }

  /** Another user's key is indistinguishable from a missing one. */
  async get(userId: string, id: string): Promise<ApiKey> {
    const apiKey = await this.apiKeys.findOf(userId, id);
    if (!apiKey) throw notFound();
    return apiKey;
  }

  async rename(userId: string, id: string, name: string, actor: AuditActor): Promise<ApiKey> {
    return this.transactions.run(async (tx) => {
      const apiKey = await this.apiKeys.rename(tx, userId, id, name);
      if (!apiKey) throw notFound();
      await this.audit.record(tx, { type: 'api_key.renamed', userId, actor, subject: { apiKeyId: id } });
      return apiKey;
    });
  }

  /**
   * For an account that `tx` deletes (its keys with it, by cascade): every
   * instance forgets every key of the user when `tx` commits, so that none
   * is admitted from memory afterwards.
   */
  async forgetAllOf(tx: Transaction, userId: string): Promise<void> {
    await this.bus.publish(tx, API_KEY_CHANGED, await this.apiKeys.hashesOf(tx, userId));
  }

  /** Takes effect at once on every instance. Idempotent: revoking a revoked key returns it unchanged. */
  async revoke(userId: string, id: string, actor: AuditActor): Promise<ApiKey> {
    return this.transactions.run(async (tx) => {
      const apiKey = await this.apiKeys.findOf(userId, id, tx);
      if (!apiKey) throw notFound();
      if (await this.apiKeys.revoke(tx, id, this.clock.now())) {
        await this.bus.publish(tx, API_KEY_CHANGED, [apiKey.keyHash]);
        await this.audit.record(tx, { type: 'api_key.revoked', userId, actor, subject: { apiKeyId: id } });
      }
      return (await this.apiKeys.findOf(userId, id, tx))!;
    });
  }
}
