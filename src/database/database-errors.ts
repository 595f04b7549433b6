import { QueryFailedError } from 'typeorm';
import { ApiException } from '../common/errors/api-exception';
import { EMBEDDED_DATABASE_STOPPED } from '../platform/embedded-database/embedded-database.pool';

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Driver not Connected',
  EMBEDDED_DATABASE_STOPPED,
];

/**
 * True when the error means "the database cannot be reached", not "the query
 * was wrong": the network, the server going away, or any refusal to give a
 * connection. An error the server sends is wrapped in a QueryFailedError when
 * a query caused it; one that is not came from connecting (a database that
 * does not allow connections, a missing one, a wrong password).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof QueryFailedError) && isServerError(error)) return true;
  return isUnreachable(error);
}

/** What the server itself said: a SQLSTATE, and pg's error class (or PGlite's fields). */
function isServerError(error: unknown): boolean {
  const { code, name, severity } = (error ?? {}) as { code?: unknown; name?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && (name === 'DatabaseError' || typeof severity === 'string');
}

function isUnreachable(error: unknown): boolean {
  // Duck-typed: socket errors may come from another realm, where `instanceof Error` is false.
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, errors, message } = error as {
    code?: unknown;
    driverError?: unknown;
    errors?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.has(code) || code.startsWith('08')) return true;
  }
  if (driverError && isUnreachable(driverError)) return true;
  if (Array.isArray(errors) && errors.some(isUnreachable)) return true; // AggregateError: one per address
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((known) => message.includes(known));
}

/** A unique violation, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): error is QueryFailedError {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/**
 * For the exception filter: an unreachable database is a 503; a unique
 * violation that no repository turned into a domain error is a plain 409.
 */
export function translateDatabaseError(error: unknown): ApiException | undefined {
  if (isDatabaseUnavailable(error)) return new ApiException('service_unavailable');
  if (isUniqueViolation(error)) return new ApiException('conflict');
  return undefined;
}

/** A failure at boot that waiting may cure: the server is not up yet, or its name does not resolve yet. */
export function isWorthRetryingAtBoot(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  if (code === '57P03') return true; // the database system is starting up
  return isUnreachable(error) && !isServerError(error);
}

/** A failure to connect at boot, in one line that names DATABASE_URL and never shows its password. */
export function describeStartupFailure(error: unknown, url: string): string {
  let where = 'the database';
  let database = '';
  try {
    const parsed = new URL(url);
    database = decodeURIComponent(parsed.pathname.slice(1));
    where = `${parsed.hostname}:${parsed.port || 5432}`;
  } catch {
    // validated at boot; nothing better to say
  }
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === '3D000') return `DATABASE_URL: database "${database}" does not exist on ${where}; create it first (createdb ${database})`;
  if (code === '28P01' || code === '28000') return `DATABASE_URL: ${where} refused the user or password`;
  if (code === '55000') return `DATABASE_URL: database "${database}" on ${where} does not allow connections`;
  const reason = typeof code === 'string' ? code : typeof message === 'string' ? message.split('\n')[0] : 'unknown error';
  return `DATABASE_URL: cannot connect to ${where} (${reason})`;
}
