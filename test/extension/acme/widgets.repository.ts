import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiException } from '../../../src/common/errors/api-exception';
import { isUniqueViolation } from '../../../src/database/database-errors';
import { EntityRepository } from '../../../src/database/entity-repository';
import { Transaction } from '../../../src/database/transactions';
import './acme.errors';
import { Widget } from './widget.entity';

@Injectable()
export class WidgetsRepository extends EntityRepository<Widget> {
  constructor(@InjectRepository(Widget) widgets: Repository<Widget>) {
    super(widgets);
  }

  /** A name the user already gave a widget is 409 `widget_name_taken`. */
  async insert(tx: Transaction, userId: string, name: string): Promise<Widget> {
    const table = this.table(tx);
    try {
      return await table.save(table.create({ userId, name }));
    } catch (error) {
      if (isUniqueViolation(error, 'uq_acme_widgets_user_id_name')) throw new ApiException('widget_name_taken');
      throw error;
    }
  }

  listOf(userId: string): Promise<Widget[]> {
    return this.table().find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  count(): Promise<number> {
    return this.table().count();
  }
}
