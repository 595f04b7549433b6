import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock';
import { ApiException } from '../common/errors/api-exception';
import { anonymous, AuditActor } from '../audit/audit-actor';
import { AuditLog } from '../audit/audit-log';
import { AppConfig } from '../config/app-config';
import { ClientInfo } from '../common/http/client-info';
import { InvalidationBus } from '../credentials/invalidation-bus';
import { Principal } from '../credentials/principal';
import { insufficientScope } from '../credentials/route-access';
import { isWithin, normalizeScopes } from '../credentials/scopes';
import { Transaction, Transactions } from '../database/transactions';
import { apiKeyDisplayPrefix, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-format';
import { ApiKey, isActiveKey } from './api-key.entity';
import './api-key.errors';
import './api-key.events';
import { API_KEY_CHANGED } from './api-key.verifier';
import { ApiKeysRepository } from './api-keys.repository';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full secret; returned once, never stored. */
  key: string;
}

/** What a new key may do, and until when. */
export interface NewApiKey {
  name: string;
  /** Known scope names or `*`; omitted: full access. */
  scopes?: string[];
  /** Omitted: never. */
  expiresAt?: Date;
}

/** How long a rolled key keeps working by default: a day to deploy its successor. */
export const DEFAULT_ROLL_OVERLAP_S = 86_400;

const notFound = () => new ApiException('not_found', 'API key not found');

const escalation = () => insufficientScope(undefined, 'A key can only create or roll keys within its own scopes');

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

  /**
   * A key within the caller's own scopes (403 otherwise: no escalation).
   * Counts the active keys under a per-user lock, so that concurrent creates
   * cannot pass the limit.
   */
  async create(caller: Principal, request: NewApiKey, actor: AuditActor): Promise<CreatedApiKey> {
    const scopes = normalizeScopes(request.scopes);
    if (!isWithin(scopes, caller.scopes)) throw escalation();
    const now = this.clock.now();
    if (request.expiresAt && request.expiresAt <= now) {
      throw new ApiException('validation_failed', 'expires_at must lie in the future', {
        details: [{ field: 'expires_at', message: 'expires_at must lie in the future' }],
      });
    }
    const userId = caller.userId;
    return this.transactions.run(async (tx) => {
      await this.apiKeys.lockKeysOf(tx, userId);
      if ((await this.apiKeys.countActive(tx, userId, now)) >= this.activeLimit) {
        throw new ApiException(
          'api_key_limit_reached',
          `You can have at most ${this.activeLimit} active API keys. Revoke one to create another.`,
        );
      }
      const created = await this.insert(tx, userId, { name: request.name, scopes, expiresAt: request.expiresAt ?? null });
      await this.audit.record(tx, { type: 'api_key.created', userId, actor, subject: { apiKeyId: created.apiKey.id } });
      return created;
    });
  }

  /**
   * A new key with the old one's name and scopes, and as long a lifetime as
   * the old one had, if it had one; the old key keeps working for
   * `overlapS` more seconds (never longer than it would have). Needs no
   * free slot: it replaces a key.
   */
  async roll(caller: Principal, id: string, overlapS: number, actor: AuditActor): Promise<CreatedApiKey> {
    const userId = caller.userId;
    return this.transactions.run(async (tx) => {
      const old = await this.apiKeys.findOfForUpdate(tx, userId, id);
      if (!old) throw notFound();
      const now = this.clock.now();
      if (!isActiveKey(old, now)) throw new ApiException('api_key_inactive');
      if (!isWithin(old.scopes, caller.scopes)) throw escalation();
      const lifetimeMs = old.expiresAt && old.expiresAt.getTime() - old.createdAt.getTime();
      const successor = { name: old.name, scopes: old.scopes, expiresAt: lifetimeMs ? new Date(now.getTime() + lifetimeMs) : null };
      // Every instance reloads the old key too, with its new expiry: one notification for both.
      const created = await this.insert(tx, userId, successor, [old.keyHash]);
      await this.apiKeys.expireBy(tx, old.id, new Date(now.getTime() + overlapS * 1000));
      await this.audit.record(tx, { type: 'api_key.created', userId, actor, subject: { apiKeyId: created.apiKey.id } });
      await this.audit.record(tx, { type: 'api_key.rolled', userId, actor, subject: { apiKeyId: old.id } });
      return created;
    });
  }

  /**
   * Revokes at once, on every instance, each listed key that is active, as
   * reported leaked. Anyone holding a key may end it, so this needs no
   * credential; what is not one of our keys is ignored, and the caller
   * learns nothing either way.
   */
  async reportLeaked(keys: string[], client: ClientInfo): Promise<void> {
    const keyHashes = [...new Set(keys.filter(isWellFormedApiKey).map(hashApiKey))];
    if (keyHashes.length === 0) return;
    await this.transactions.run(async (tx) => {
      const revoked = await this.apiKeys.revokeLeaked(tx, keyHashes, this.clock.now());
      if (revoked.length === 0) return;
      await this.bus.publish(tx, API_KEY_CHANGED, revoked.map((key) => key.keyHash));
      for (const key of revoked) {
        await this.audit.record(tx, { type: 'api_key.reported_leaked', userId: key.userId, actor: anonymous(client), subject: { apiKeyId: key.id } });
      }
    });
  }

  /** Keys active now first, then newest first. */
  list(userId: string): Promise<ApiKey[]> {
    return this.apiKeys.listOf(userId, this.clock.now());
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
      if (await this.apiKeys.revoke(tx, id, this.clock.now(), 'revoked')) {
        await this.bus.publish(tx, API_KEY_CHANGED, [apiKey.keyHash]);
        await this.audit.record(tx, { type: 'api_key.revoked', userId, actor, subject: { apiKeyId: id } });
      }
      return (await this.apiKeys.findOf(userId, id, tx))!;
    });
  }

  /** A new key; `alsoChanged` are digests of other keys this transaction changes. */
  private async insert(
    tx: Transaction,
    userId: string,
    key: Pick<ApiKey, 'name' | 'scopes' | 'expiresAt'>,
    alsoChanged: string[] = [],
  ): Promise<CreatedApiKey> {
    const secret = generateApiKey();
    const keyHash = hashApiKey(secret);
    // Another instance may have cached this digest as unknown (only if it was guessed, but still).
    await this.bus.publish(tx, API_KEY_CHANGED, [keyHash, ...alsoChanged]);
    const apiKey = await this.apiKeys.insert(tx, { userId, ...key, keyPrefix: apiKeyDisplayPrefix(secret), keyHash });
    return { apiKey, key: secret };
  }
}
