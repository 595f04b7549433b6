import { applyDecorators } from '@nestjs/common';
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
  ValidateBy,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const EMBEDDED_DB_OPTIMIZATIONS = ['memory', 'speed'] as const;

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/** A `postgres://` or `postgresql://` URL with a host. */
function IsPostgresUrl() {
  return ValidateBy({
    name: 'isPostgresUrl',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          const url = new URL(value);
          return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname.length > 0;
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
    },
  });
}

/** A comma-separated list of origins such as `https://app.example.com,http://localhost:5173`: scheme, host, port; no path. */
function IsOriginList() {
  return ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseOrigins(value) !== null,
      defaultMessage: () => 'must be comma-separated origins such as https://app.example.com,http://localhost:5173 (no path, no *)',
    },
  });
}

/** The origins of a CORS_ORIGINS value, as browsers send them; null when one is not an origin. */
export function parseOrigins(value: string): string[] | null {
  const origins: string[] = [];
  for (const part of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    try {
      const url = new URL(part);
      if (!['http:', 'https:'].includes(url.protocol) || url.origin !== part.replace(/\/$/, '')) return null;
      origins.push(url.origin);
    } catch {
      return null;
    }
  }
  return origins.length > 0 ? origins : null;
}

/** A URL of one of `protocols` with a host, such as `smtp://` or `https://`. */
function IsUrlOf(protocols: string[], example: string) {
  return ValidateBy({
    name: 'isUrlOf',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          const url = new URL(value);
          return protocols.includes(url.protocol) && url.hostname.length > 0;
        } catch {
          return false;
        }
      },
      defaultMessage: () => `must be a URL such as ${example}`,
    },
  });
}

/** A yes/no setting: `1`, `true`, `yes` or `on` (any case) is yes, anything else no. */
const Flag = () => applyDecorators(Transform(toBoolean), IsBoolean());

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

  /** The listen address: `0.0.0.0` for every interface, `127.0.0.1` for this machine only, `::` for IPv6. */
  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  /** Where rate-limit counters are shared; unset: each instance counts in memory. */
  @IsOptional()
  @IsUrlOf(['redis:', 'rediss:'], 'redis://:password@redis.example.com:6379/0')
  REDIS_URL?: string;

  /** Prometheus metrics at /metrics on this port only; unset: no metrics. */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  /** Exact origins allowed to call the API from a browser, comma-separated; unset: none. */
  @IsOptional()
  @IsOriginList()
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsPostgresUrl()
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
  AUTH_ACCOUNT_FAILURE_LIMIT = 100;

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

  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  PASSWORD_HASH_CONCURRENCY?: number;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Flag()
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

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS = 30_000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUDIT_RETENTION_DAYS = 365;

  @IsOptional()
  @IsUrlOf(['smtp:', 'smtps:'], 'smtps://user:password@smtp.example.com:465')
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Magpipe <no-reply@localhost>';

  @Flag()
  MAIL_OUTBOX_ONLY = false;

  @IsOptional()
  @IsString()
  @MinLength(1)
  MAIL_OUTBOX_DIR?: string;

  /** First retry of a failed delivery after this long, then twice as long each time, up to an hour. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  MAIL_RETRY_BASE_MS = 5000;

  @IsOptional()
  @IsUrlOf(['http:', 'https:'], 'https://auth.example.com')
  PUBLIC_URL?: string;

  @Flag()
  TRUST_PROXY = false;

  // Runtime tuning (src/platform), each on by default; switch one off to measure it again.

  @Flag()
  TUNE_THREAD_PRIORITIES = true;

  @Flag()
  TUNE_LIBUV_PRESTART = true;

  @Flag()
  TUNE_SECURITY_HEADERS = true;

  @Flag()
  TUNE_LAZY_REQUEST_LOGGER = true;

  @Flag()
  TUNE_EMBEDDED_DB_THREAD = true;

  @Flag()
  TUNE_CONNECTION_MEMO = true;

  @Flag()
  TUNE_COMPILED_SERIALIZERS = true;
}
