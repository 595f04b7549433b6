import { Injectable } from '@nestjs/common';
import { AuditActor } from '../../../src/audit/audit-actor';
import { AuditLog } from '../../../src/audit/audit-log';
import { Transactions } from '../../../src/database/transactions';
import './acme.events';
import { Widget } from './widget.entity';
import { WidgetsRepository } from './widgets.repository';

/** The module's rules: a widget and its audit event are one unit. */
@Injectable()
export class WidgetsService {
  constructor(
    private readonly widgets: WidgetsRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditLog,
  ) {}

  create(userId: string, name: string, actor: AuditActor): Promise<Widget> {
    return this.transactions.run(async (tx) => {
      const widget = await this.widgets.insert(tx, userId, name);
      await this.audit.record(tx, { type: 'widget.created', userId, actor });
      return widget;
    });
  }

  listOf(userId: string): Promise<Widget[]> {
    return this.widgets.listOf(userId);
  }

  count(): Promise<number> {
    return this.widgets.count();
  }
}
