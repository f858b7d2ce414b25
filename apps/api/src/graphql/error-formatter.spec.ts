import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { QueryFailedError } from 'typeorm';
import { RequestAbandonedError } from '@headwaters/database';
import { classifyError } from './error-formatter';

/** A logger that keeps what it is given, by level. */
function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, log: { warn: at('warn'), debug: at('debug'), error: at('error'), info: at('info') } as unknown as Logger };
}

const failed = (driverError: Error) => new GraphQLError('failed', { path: ['item', 'comments'], originalError: new QueryFailedError('SELECT 1', [], driverError) });

describe('classifyError, for the database being away or stopped', () => {
  it("answers a request whose client went away SERVICE_UNAVAILABLE, logged at debug without the error's stacks", () => {
    const { lines, log } = recordingLogger();
    const classified = classifyError(failed(new RequestAbandonedError()), log);
    expect(classified.formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'REQUEST_ABANDONED' });
    expect(lines).toEqual([{ level: 'debug', fields: { path: ['item', 'comments'], reason: 'REQUEST_ABANDONED' }, message: 'a request whose client went away was stopped' }]);
  });

  it('warns, with the error, when the database cannot be reached', () => {
    const { lines, log } = recordingLogger();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const classified = classifyError(failed(refused), log);
    expect(classified.formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNREACHABLE' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', fields: { reason: 'DATABASE_UNREACHABLE', err: expect.any(QueryFailedError) }, message: 'the database could not serve a request' });
  });
});
