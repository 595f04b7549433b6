import { ApiProperty } from '@nestjs/swagger';
import { ApiKey } from '../api-key.entity';

export class ApiKeyDto {
  /** @example "5f0c2f0e-3c1d-4b7a-8c55-7d8e2b1a9f40" */
  id: string;
  /** @example "CI Pipeline" */
  name: string;
  /** The first 12 characters of the key; shown as `mgp_abc12345...`. @example "mgp_3f9a1c2b" */
  key_prefix: string;
  /** False once revoked. @example true */
  is_active: boolean;
  /** @example "2026-11-27T10:00:00.000Z" */
  created_at: string;
  /** Updated within seconds of each use; null until first used. @example "2026-11-27T10:05:00.000Z" */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  last_used_at: string | null;
  /** @example null */
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  revoked_at: string | null;

  static from(apiKey: ApiKey): ApiKeyDto {
    return {
      id: apiKey.id,
      name: apiKey.name,
      key_prefix: apiKey.keyPrefix,
      is_active: apiKey.revokedAt === null,
      created_at: apiKey.createdAt.toISOString(),
      last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
      revoked_at: apiKey.revokedAt?.toISOString() ?? null,
    };
  }
}

/** Only the create response carries the secret. */
export class ApiKeyCreatedDto extends ApiKeyDto {
  /** The full key. Shown once: store it now. @example "mgp_3f9a1c2b7d4e5f60718293a4b5c6d7e8a1b2c3d4" */
  key: string;

  static withSecret(apiKey: ApiKey, key: string): ApiKeyCreatedDto {
    return { ...ApiKeyDto.from(apiKey), key };
  }
}

export class ApiKeyListDto {
  keys: ApiKeyDto[];
}
