import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AuditEvent } from '../audit-event.entity';

export class AuditEventsQueryDto {
  /** Events per page, 1 to 100. @example 50 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** The `next_cursor` of the page before. @example "MTc5NjIwNTYwMDAwMDo0Mg" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class AuditActorDto {
  /** The credential that acted; `anonymous` for sign-up and sign-in. @example "api_key" */
  @ApiProperty({ enum: ['session', 'api_key', 'anonymous'] })
  method: 'session' | 'api_key' | 'anonymous';
  @ApiPropertyOptional({ format: 'uuid' })
  session_id?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  api_key_id?: string;
}

export class AuditSubjectDto {
  /** The key the event is about. */
  @ApiPropertyOptional({ format: 'uuid' })
  api_key_id?: string;
  /** The session the event is about. */
  @ApiPropertyOptional({ format: 'uuid' })
  session_id?: string;
}

export class AuditEventDto {
  /** @example "7d2c1f0a-8b3e-4c5d-9e6f-0a1b2c3d4e5f" */
  id: string;
  // The enum is filled in when the document is built: every type the app's modules define.
  @ApiProperty({ enum: ['api_key.created'], enumName: 'AuditEventType', example: 'api_key.revoked' })
  type: string;
  /** @example "2026-12-02T10:00:00.000Z" */
  created_at: string;
  /** The client's address, as the session list records it. @example "203.0.113.7" */
  @ApiProperty({ type: String, nullable: true })
  ip: string | null;
  /** @example "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" */
  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;
  actor: AuditActorDto;
  subject: AuditSubjectDto;

  static from(event: AuditEvent): AuditEventDto {
    const actor: AuditActorDto = { method: event.actorMethod };
    if (event.actorSessionId) actor.session_id = event.actorSessionId;
    if (event.actorApiKeyId) actor.api_key_id = event.actorApiKeyId;
    const subject: AuditSubjectDto = {};
    if (event.subjectApiKeyId) subject.api_key_id = event.subjectApiKeyId;
    if (event.subjectSessionId) subject.session_id = event.subjectSessionId;
    return {
      id: event.id,
      type: event.type,
      created_at: event.createdAt.toISOString(),
      ip: event.ip,
      user_agent: event.userAgent,
      actor,
      subject,
    };
  }
}

export class AuditEventListDto {
  /** Newest first. */
  events: AuditEventDto[];
  /** Pass it as `cursor` for the next page; null on the last page. @example null */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
