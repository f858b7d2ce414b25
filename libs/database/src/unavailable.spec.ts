import { databaseUnavailability, RequestAbandonedError } from './unavailable';

describe('database unavailability', () => {
  it.each([
    [{ code: '53100', message: 'could not extend file: No space left on device' }, 'DISK_FULL'],
    [{ code: '25006', message: 'cannot execute INSERT in a read-only transaction' }, 'DATABASE_READ_ONLY'],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'STATEMENT_TIMEOUT'],
    [{ code: '57014', message: 'canceling statement due to user request' }, 'REQUEST_ABANDONED'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'DATABASE_UNREACHABLE'],
    [{ code: '57P03', message: 'the database system is starting up' }, 'DATABASE_UNREACHABLE'],
    [{ code: '08006', message: 'connection failure' }, 'DATABASE_UNREACHABLE'],
    [{ code: '53300', message: 'too many connections' }, 'DATABASE_UNREACHABLE'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'DATABASE_UNREACHABLE'],
    // A server down behind its Unix socket: the socket file is gone.
    [{ code: 'ENOENT', message: 'connect ENOENT /srv/headwaters/data/pg/.s.PGSQL.54329' }, 'DATABASE_UNREACHABLE'],
    [{ message: 'Query failed', driverError: new Error('Connection terminated unexpectedly') }, 'DATABASE_UNREACHABLE'],
    [new RequestAbandonedError(), 'REQUEST_ABANDONED'],
  ])('reads %p as %s', (error, reason) => expect(databaseUnavailability(error)).toBe(reason));

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '22P02', message: 'invalid input syntax for type integer' }],
    [new Error('something else')],
    [{ code: 'ENOENT', message: "ENOENT: no such file or directory, open 'attachment.bin'" }],
    [undefined],
  ])('leaves %p to the other mappings', (error) => expect(databaseUnavailability(error)).toBeNull());
});
