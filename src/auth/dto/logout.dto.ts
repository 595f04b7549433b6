import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LogoutScope } from '../sessions.service';

const SCOPES: LogoutScope[] = ['local', 'global', 'others'];

export class LogoutDto {
  @ApiPropertyOptional({
    enum: SCOPES,
    default: 'local',
    description: '`local` ends this session, `global` all of your sessions, `others` all but this one.',
  })
  @IsOptional()
  @IsIn(SCOPES)
  scope?: LogoutScope;
}
