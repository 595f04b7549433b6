import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvSchema, parseOrigins } from './env.schema';

/** Typed configuration namespaces, read through `ConfigService<AppConfig, true>`. */
export interface AppConfig {
  http: {
    port: number;
    host: string;
    bodyLimitBytes: number;
    trustProxy: boolean;
    requestTimeoutMs: number;
    /** Origins whose browser pages may call the API; empty: none. */
    corsOrigins: string[];
  };
  rateLimits: { redisUrl?: string };
  metrics: { port?: number };
  database: EmbeddedDatabaseConfig | ServerDatabaseConfig;
  auth: {
    jwtSecret: string;
    jwtIssuer: string;
    jwtAudience: string;
    accessTokenTtlS: number;
    refreshReuseGraceS: number;
    /** argon2 computations at once; the rest wait, so logins cannot starve the event loop of CPU. */
    passwordHashConcurrency: number;
    rateLimitMax: number;
    rateLimitWindowS: number;
    /** Failed sign-ins for one email, from all addresses together, per hour. */
    accountFailureLimit: number;
  };
  apiKeys: { activeLimit: number; lastUsedFlushMs: number; cache: CredentialCacheConfig };
  sessions: { cache: CredentialCacheConfig };
  users: { cache: CredentialCacheConfig };
  audit: { retentionDays: number };
  mail: MailConfig;
  logging: { level: EnvSchema['LOG_LEVEL'] };
  tuning: TuningConfig;
}

/**
 * The runtime tricks of src/platform (and the credentials' per-connection
 * memo), each behind one switch so that it can be measured again. All on by
 * default; BENCHMARKS.md says what each one buys.
 */
export interface TuningConfig {
  /** Password hashing at nice 19 under SCHED_IDLE, the embedded database at nice 10 under SCHED_BATCH. */
  threadPriorities: boolean;
  /** libuv's thread pool started on the main thread at boot, so that it keeps full priority. */
  libuvPrestart: boolean;
  /** helmet's headers computed once at boot instead of by its middleware on every request. */
  precomputedSecurityHeaders: boolean;
  /** A request's child logger built only when something logs through it. */
  lazyRequestLogger: boolean;
  /** PGlite in a thread of its own instead of on the event loop. */
  embeddedDatabaseThread: boolean;
  /** A connection's bearer header read once while it stays the same. */
  connectionMemo: boolean;
  /** Success responses serialized by code compiled from their OpenAPI schema, not JSON.stringify. */
  compiledSerializers: boolean;
}

export interface MailConfig {
  /** Delivery through this SMTP server; unset: each message becomes an .eml file in `outboxDir`. */
  smtpUrl?: string;
  from: string;
  outboxDir: string;
  /** The base of every link in a message, without a trailing slash. */
  publicUrl: string;
  retryBaseMs: number;
}

export interface CredentialCacheConfig {
  max: number;
  ttlMs: number;
  absentTtlMs: number;
}

export interface EmbeddedDatabaseConfig {
  kind: 'embedded';
  /** A folder, or `memory://` for a throwaway database. */
  dataDir: string;
  /** `memory`: PGlite's WebAssembly runs on V8's baseline compiler only (less memory, slower queries). */
  optimize: 'memory' | 'speed';
  /** PGlite in a worker thread (the default), or on the event loop. */
  ownThread: boolean;
  /** Lower the database thread's priority (nice 10, SCHED_BATCH). */
  lowerPriority: boolean;
  migrationsRun: boolean;
}

export interface ServerDatabaseConfig {
  kind: 'server';
  url: string;
  poolSize: number;
  migrationsRun: boolean;
}

/** Every problem, in one line that names each variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Variables whose value may hold a secret: an error names them, never shows them. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'JWT_SECRET', 'SMTP_URL', 'REDIS_URL']);

const MIN_JWT_SECRET_BYTES = 32;
const IN_MEMORY_DATA_DIR = 'memory://';

export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const definedOnly = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = plainToInstance(EnvSchema, definedOnly, { exposeDefaultValues: true });
  const problems = validateSync(parsed, { skipMissingProperties: false }).map((error) => {
    const got = SECRET_VARIABLES.has(error.property) ? '' : ` (got ${JSON.stringify(error.value)})`;
    return `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}${got}`;
  });
  if (parsed.JWT_SECRET !== undefined && Buffer.byteLength(parsed.JWT_SECRET) < MIN_JWT_SECRET_BYTES) {
    problems.push(`JWT_SECRET: must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
  }
  if (parsed.NODE_ENV === 'production' && parsed.JWT_SECRET === undefined) {
    problems.push('JWT_SECRET: required when NODE_ENV=production');
  }
  if (parsed.NODE_ENV === 'production' && parsed.SMTP_URL === undefined && !parsed.MAIL_OUTBOX_ONLY) {
    problems.push('SMTP_URL: required when NODE_ENV=production, unless MAIL_OUTBOX_ONLY=true says that mail is only written to files');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const migrationsRun = parsed.DB_MIGRATIONS_RUN;
  const credentialCache: CredentialCacheConfig = {
    max: parsed.CREDENTIAL_CACHE_MAX,
    ttlMs: parsed.CREDENTIAL_CACHE_TTL_S * 1000,
    absentTtlMs: 10_000,
  };
  return {
    http: {
      port: parsed.PORT,
      host: parsed.HOST,
      bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
      trustProxy: parsed.TRUST_PROXY,
      requestTimeoutMs: parsed.REQUEST_TIMEOUT_MS,
      corsOrigins: parsed.CORS_ORIGINS ? (parseOrigins(parsed.CORS_ORIGINS) ?? []) : [],
    },
    rateLimits: { redisUrl: parsed.REDIS_URL },
    metrics: { port: parsed.METRICS_PORT },
    database: parsed.DATABASE_URL
      ? { kind: 'server', url: parsed.DATABASE_URL, poolSize: parsed.DB_POOL_SIZE, migrationsRun }
      : {
          kind: 'embedded',
          dataDir: parsed.DATA_DIR,
          optimize: parsed.EMBEDDED_DB_OPTIMIZE,
          ownThread: parsed.TUNE_EMBEDDED_DB_THREAD,
          lowerPriority: parsed.TUNE_THREAD_PRIORITIES,
          migrationsRun,
        },
    auth: {
      jwtSecret: parsed.JWT_SECRET ?? developmentJwtSecret(parsed.DATA_DIR),
      jwtIssuer: parsed.JWT_ISSUER,
      jwtAudience: parsed.JWT_AUDIENCE,
      accessTokenTtlS: 3600,
      refreshReuseGraceS: 10,
      passwordHashConcurrency: parsed.PASSWORD_HASH_CONCURRENCY ?? Math.max(1, availableParallelism() - 1),
      rateLimitMax: parsed.AUTH_RATE_LIMIT_MAX,
      rateLimitWindowS: parsed.AUTH_RATE_LIMIT_WINDOW_S,
      accountFailureLimit: parsed.AUTH_ACCOUNT_FAILURE_LIMIT,
    },
    apiKeys: {
      activeLimit: parsed.API_KEY_LIMIT,
      lastUsedFlushMs: parsed.API_KEY_LAST_USED_FLUSH_MS,
      cache: credentialCache,
    },
    sessions: { cache: credentialCache },
    users: { cache: credentialCache },
    audit: { retentionDays: parsed.AUDIT_RETENTION_DAYS },
    mail: {
      smtpUrl: parsed.SMTP_URL,
      from: parsed.MAIL_FROM,
      outboxDir: parsed.MAIL_OUTBOX_DIR ?? outboxDirOf(parsed.DATA_DIR),
      publicUrl: (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ''),
      retryBaseMs: parsed.MAIL_RETRY_BASE_MS,
    },
    logging: { level: parsed.LOG_LEVEL },
    tuning: {
      threadPriorities: parsed.TUNE_THREAD_PRIORITIES,
      libuvPrestart: parsed.TUNE_LIBUV_PRESTART,
      precomputedSecurityHeaders: parsed.TUNE_SECURITY_HEADERS,
      lazyRequestLogger: parsed.TUNE_LAZY_REQUEST_LOGGER,
      embeddedDatabaseThread: parsed.TUNE_EMBEDDED_DB_THREAD,
      connectionMemo: parsed.TUNE_CONNECTION_MEMO,
      compiledSerializers: parsed.TUNE_COMPILED_SERIALIZERS,
    },
  };
}

/** `DATA_DIR/outbox`; with an in-memory database, a folder of the system's temporary directory. */
function outboxDirOf(dataDir: string): string {
  return dataDir === IN_MEMORY_DATA_DIR ? join(tmpdir(), 'magpipe-outbox') : join(dataDir, 'outbox');
}

/**
 * Outside production a secret is generated once and kept under DATA_DIR,
 * so restarting the service does not sign everyone out.
 */
function developmentJwtSecret(dataDir: string): string {
  if (dataDir === IN_MEMORY_DATA_DIR) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'jwt-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so concurrent first starts agree on one secret.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
