import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, ValidateBy } from 'class-validator';
import { FULL_ACCESS, isKnownScope } from '../../credentials/scopes';
import { ApiKeyNameDto } from './api-key-name.dto';

/** Each item is a scope of the catalogue, or `*`. */
function IsScopeName() {
  return ValidateBy(
    {
      name: 'isScopeName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && (value === FULL_ACCESS || isKnownScope(value)),
        defaultMessage: () => 'each value in scopes must be a scope that GET /v1/api-keys/scopes lists, or "*"',
      },
    },
    { each: true },
  );
}

export class CreateApiKeyDto extends ApiKeyNameDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['api_keys:read', 'audit:read'],
    description:
      'What the key may do: names from `GET /v1/api-keys/scopes`, or `["*"]` for full access (the default). ' +
      "A key can only create keys within its own scopes. Repeats are dropped; `*` with others is full access.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @IsScopeName()
  scopes?: string[];

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2027-03-01T00:00:00.000Z',
    description: 'When the key stops working; it must lie in the future. Omitted: never.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  expires_at?: string;
}
