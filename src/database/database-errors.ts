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

/** True when the error means "the database cannot be reached", not "the query was wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
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
  if (driverError && isDatabaseUnavailable(driverError)) return true;
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true; // AggregateError: one per address
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
