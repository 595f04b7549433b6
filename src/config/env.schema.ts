import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const EMBEDDED_DB_OPTIMIZATIONS = ['memory', 'speed'] as const;

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable the service reads, with its default.
 * `loadConfig` validates `process.env` against this class at boot.
 */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './.data';

  @IsIn(EMBEDDED_DB_OPTIMIZATIONS)
  EMBEDDED_DB_OPTIMIZE: (typeof EMBEDDED_DB_OPTIMIZATIONS)[number] = 'memory';

  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'magpipe';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'magpipe-api';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_MAX = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_WINDOW_S = 60;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  API_KEY_LIMIT = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(5000)
  API_KEY_LAST_USED_FLUSH_MS = 2000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  CREDENTIAL_CACHE_MAX = 10_000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  CREDENTIAL_CACHE_TTL_S = 300;

  @Transform(toBoolean)
  @IsBoolean()
  BENCH_ROUTES = false;

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  PASSWORD_HASH_CONCURRENCY?: number;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100)
  DB_POOL_SIZE = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 65536;

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;
}
