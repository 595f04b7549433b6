import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { EntityRepository } from '../../database/entity-repository';
import { Transaction } from '../../database/transactions';
import { AccountToken, AccountTokenPurpose } from './account-token.entity';

/** Every query on `account_tokens`. */
@Injectable()
export class AccountTokensRepository extends EntityRepository<AccountToken> {
  constructor(@InjectRepository(AccountToken) tokens: Repository<AccountToken>) {
    super(tokens);
  }

  /** The new token replaces every unused one of the same purpose. */
  async replace(tx: Transaction, token: Pick<AccountToken, 'userId' | 'purpose' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await this.table(tx).delete({ userId: token.userId, purpose: token.purpose, usedAt: IsNull() });
    await this.table(tx).insert(token);
  }

  /** The user of a token that is unused and unexpired at `at`; nothing is spent. */
  async findUsable(tokenHash: string, purpose: AccountTokenPurpose, at: Date): Promise<string | null> {
    const token = await this.table().findOne({ where: { tokenHash, purpose, usedAt: IsNull(), expiresAt: MoreThan(at) }, select: { userId: true } });
    return token?.userId ?? null;
  }

  /** Spends the token if it is usable at `at`, in one statement: of two at once, one wins. The user, or null. */
  async spend(tx: Transaction, tokenHash: string, purpose: AccountTokenPurpose, at: Date): Promise<string | null> {
    const result = await this.table(tx)
      .createQueryBuilder()
      .update()
      .set({ usedAt: at })
      .where('token_hash = :tokenHash AND purpose = :purpose AND used_at IS NULL AND expires_at > :at', { tokenHash, purpose, at })
      .returning('user_id')
      .execute();
    return (result.raw as { user_id: string }[])[0]?.user_id ?? null;
  }
}
