import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_ROLL_OVERLAP_S } from '../api-keys.service';

export const MAX_ROLL_OVERLAP_S = 7 * 86_400;

export class RollApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROLL_OVERLAP_S,
    default: DEFAULT_ROLL_OVERLAP_S,
    example: 3600,
    description: 'How many more seconds the old key works: time to deploy the new one. 0 ends it now.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROLL_OVERLAP_S)
  expires_in_s?: number;
}
