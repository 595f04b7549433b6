import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';

export class ReportLeakedDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 100,
    example: ['mgp_3f9a1c2b7d4e5f60718293a4b5c6d7e8a1b2c3d4'],
    description: 'The keys found: 1 to 100. Anything that is not one of our keys is ignored.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  keys: string[];
}

export class LeakReportAcceptedDto {
  /** @example "Every listed key that was active is revoked." */
  message: string;
}
