import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ClientInfo } from '../common/http/client-info';
import { EntityRepository } from '../database/entity-repository';
import { Transaction } from '../database/transactions';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

/** A refresh token presented for rotation, with its session, locked until the transaction ends. */
export interface PresentedRefreshToken {
  id: string;
  sessionId: string;
  userId: string;
  spentAt: Date | null;
  sessionRevoked: boolean;
}

/** What checking an access token's session needs to know of it. */
export interface SessionState {
  userId: string;
  revoked: boolean;
}

/** Which of a user's live sessions to end. */
export type SessionSelection = { only: string } | { allBut: string } | 'all';

interface RefreshTokenRow {
  id: string;
  session_id: string;
  spent_at: Date | null;
  user_id: string;
  revoked_at: Date | null;
}

/** Every query on `sessions` and `refresh_tokens`. */
@Injectable()
export class SessionsRepository extends EntityRepository<Session> {
  constructor(@InjectRepository(Session) sessions: Repository<Session>) {
    super(sessions);
  }

  /** The session and its first refresh token, in one statement (a login's only write); the new session's id. */
  async start(userId: string, client: ClientInfo, refreshTokenHash: string, at: Date, tx: Transaction): Promise<string> {
    const [{ session_id: sessionId }] = await this.manager(tx).query<{ session_id: string }[]>(
      `WITH session AS (
         INSERT INTO sessions (user_id, refreshed_at, ip, user_agent) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $5 FROM session RETURNING session_id`,
      [userId, at, client.ip, client.userAgent, refreshTokenHash],
    );
    return sessionId;
  }

  /** The refresh token with this digest and its session, both locked for the rest of `tx`. */
  async lockRefreshToken(tx: Transaction, tokenHash: string): Promise<PresentedRefreshToken | null> {
    const [row] = await this.manager(tx).query<RefreshTokenRow[]>(
      `SELECT t.id, t.session_id, t.spent_at, s.user_id, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [tokenHash],
    );
    if (!row) return null;
    return {
      id: row.id,
      sessionId: row.session_id,
      userId: row.user_id,
      spentAt: row.spent_at ? new Date(row.spent_at) : null,
      sessionRevoked: row.revoked_at !== null,
    };
  }

  async markSpent(tx: Transaction, refreshTokenId: string, at: Date): Promise<void> {
    await this.manager(tx).update(RefreshToken, { id: refreshTokenId }, { spentAt: at });
  }

  async addRefreshToken(tx: Transaction, sessionId: string, tokenHash: string): Promise<void> {
    await this.manager(tx).insert(RefreshToken, { sessionId, tokenHash });
  }

  /** Records a refresh: when, and from where. */
  async touch(tx: Transaction, sessionId: string, at: Date, client: ClientInfo): Promise<void> {
    await this.table(tx).update({ id: sessionId }, { refreshedAt: at, ip: client.ip, userAgent: client.userAgent });
  }

  /** Ends the user's live sessions that `selection` names; the ids of those it ended. */
  async revoke(tx: Transaction, userId: string, selection: SessionSelection, at: Date): Promise<string[]> {
    const query = this.table(tx)
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (selection !== 'all' && 'only' in selection) query.andWhere('id = :id', { id: selection.only });
    if (selection !== 'all' && 'allBut' in selection) query.andWhere('id <> :id', { id: selection.allBut });
    const result = await query.returning('id').execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /** Newest first. */
  listActive(userId: string): Promise<Session[]> {
    return this.table().find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** The user's session; another user's is null, as a missing one. */
  findOf(userId: string, id: string): Promise<Session | null> {
    return this.table().findOneBy({ id, userId });
  }

  async findState(sessionId: string): Promise<SessionState | null> {
    const session = await this.table().findOne({ where: { id: sessionId }, select: { id: true, userId: true, revokedAt: true } });
    return session && { userId: session.userId, revoked: session.revokedAt !== null };
  }
}
