import { Injectable } from '@nestjs/common';
import { Widget } from './widget.entity';
import { WidgetsRepository } from './widgets.repository';

/** The module's rules; here there are few, but a controller still calls a service, never a repository. */
@Injectable()
export class WidgetsService {
  constructor(private readonly widgets: WidgetsRepository) {}

  create(userId: string, name: string): Promise<Widget> {
    return this.widgets.insert(userId, name);
  }

  listOf(userId: string): Promise<Widget[]> {
    return this.widgets.listOf(userId);
  }

  count(): Promise<number> {
    return this.widgets.count();
  }
}
