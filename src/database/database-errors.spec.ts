import { QueryFailedError } from 'typeorm';
import { EMBEDDED_DATABASE_STOPPED } from '../platform/embedded-database/embedded-database.pool';
import { isDatabaseUnavailable, isUniqueViolation, translateDatabaseError } from './database-errors';

const queryFailed = (driverError: object) => new QueryFailedError('INSERT ...', [], Object.assign(new Error('failed'), driverError));

describe('database errors', () => {
  it('reads an unreachable server, a stopped embedded database and a refused connection as "unavailable"', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error(`${EMBEDDED_DATABASE_STOPPED} (exit code 1)`))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed({ code: '42601' }))).toBe(false);
  });

  it('tells a unique violation, and of which constraint', () => {
    const violation = queryFailed({ code: '23505', constraint: 'uq_things_name' });
    expect(isUniqueViolation(violation)).toBe(true);
    expect(isUniqueViolation(violation, 'uq_things_name')).toBe(true);
    expect(isUniqueViolation(violation, 'uq_other')).toBe(false);
    expect(isUniqueViolation(queryFailed({ code: '23503' }))).toBe(false);
  });

  it('translates for the exception filter: unavailable is 503, an unclaimed unique violation 409, the rest nothing', () => {
    const unavailable = translateDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    expect(unavailable).toMatchObject({ code: 'service_unavailable' });
    expect(unavailable!.message).not.toContain('5432');
    expect(translateDatabaseError(queryFailed({ code: '23505' }))).toMatchObject({ code: 'conflict' });
    expect(translateDatabaseError(queryFailed({ code: '42601' }))).toBeUndefined();
  });
});
