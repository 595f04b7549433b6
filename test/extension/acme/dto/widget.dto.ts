import { IsDisplayName } from '../../../../src/common/validation/display-name.decorator';
import { Widget } from '../widget.entity';

export class CreateWidgetDto {
  /** Trimmed; 1 to 64 characters. @example "Sprocket" */
  @IsDisplayName(64)
  name: string;
}

export class WidgetDto {
  /** @example "5f0c2f0e-3c1d-4b7a-8c55-7d8e2b1a9f40" */
  id: string;
  /** @example "Sprocket" */
  name: string;
  /** @example "2026-12-02T10:00:00.000Z" */
  created_at: string;

  static from(widget: Widget): WidgetDto {
    return { id: widget.id, name: widget.name, created_at: widget.createdAt.toISOString() };
  }
}

export class WidgetListDto {
  widgets: WidgetDto[];
}

export class WidgetStatusDto {
  /** How many widgets exist, across all users. @example 42 */
  widgets: number;
}
