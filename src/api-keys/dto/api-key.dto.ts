import { ApiProperty } from '@nestjs/swagger';
import { ApiKey, isActiveKey, RevokedReason } from '../api-key.entity';

const REVOKED_REASONS: RevokedReason[] = ['revoked', 'reported_leaked'];

export class ApiKeyDto {
  /** @example "5f0c2f0e-3c1d-4b7a-8c55-7d8e2b1a9f40" */
  id: string;
  /** @example "CI Pipeline" */
  name: string;
  /** The first 12 characters of the key; shown as `mgp_abc12345...`. @example "mgp_3f9a1c2b" */
  key_prefix: string;
  /** False once revoked or expired. @example true */
  is_active: boolean;
  /** What the key may do; `["*"]` is full access. @example ["api_keys:read","audit:read"] */
  scopes: string[];
  /** When it stops working; null: never. @example null */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  expires_at: string | null;
  /** @example "2026-11-27T10:00:00.000Z" */
  created_at: string;
  /** Updated within seconds of each use; null until first used. @example "2026-11-27T10:05:00.000Z" */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  last_used_at: string | null;
  /** @example null */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  revoked_at: string | null;
  @ApiProperty({
    // OpenAPI 3.0: a nullable enum lists null among its values.
    enum: [...REVOKED_REASONS, null],
    nullable: true,
    example: null,
    description: '`revoked` by its owner, `reported_leaked` through the leak report; null while not revoked',
  })
  revoked_reason: RevokedReason | null;

  /** As it stands at `now`: `is_active` turns false when the key expires. */
  static from(apiKey: ApiKey, now: Date): ApiKeyDto {
    return {
      id: apiKey.id,
      name: apiKey.name,
      key_prefix: apiKey.keyPrefix,
      is_active: isActiveKey(apiKey, now),
      scopes: apiKey.scopes,
      expires_at: apiKey.expiresAt?.toISOString() ?? null,
      created_at: apiKey.createdAt.toISOString(),
      last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
      revoked_at: apiKey.revokedAt?.toISOString() ?? null,
      revoked_reason: apiKey.revokedReason,
    };
  }
}

/** Only the create response carries the secret. */
export class ApiKeyCreatedDto extends ApiKeyDto {
  /** The full key. Shown once: store it now. @example "mgp_3f9a1c2b7d4e5f60718293a4b5c6d7e8a1b2c3d4" */
  key: string;

  static withSecret(apiKey: ApiKey, key: string, now: Date): ApiKeyCreatedDto {
    return { ...ApiKeyDto.from(apiKey, now), key };
  }
}

export class ScopeDto {
  /** @example "api_keys:read" */
  name: string;
  /** @example "List and read your API keys (never a key itself), and the scopes they can hold" */
  description: string;
}

export class ScopeListDto {
  scopes: ScopeDto[];
}

export class ApiKeyListDto {
  keys: ApiKeyDto[];
}
