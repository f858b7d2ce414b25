import { DomainError, type SqlRunner } from '@headwaters/core';
import { inTransaction, isRetryable } from './transaction';

/** A transaction runner that runs the work with a dummy runner and counts attempts. */
function runner() {
  const state = { attempts: 0 };
  const tx: SqlRunner = { query: async () => [] as never };
  return { state, db: { transaction: async <T>(work: (t: SqlRunner) => Promise<T>) => (state.attempts++, work(tx)) } };
}

describe('inTransaction', () => {
  it('runs the work again after a deadlock or a serialization failure, then succeeds', async () => {
    const { state, db } = runner();
    const codes = ['40P01', '40001'];
    await expect(inTransaction(db, async () => {
      const code = codes.shift();
      if (code) throw Object.assign(new Error('lost'), { code });
      return 'done';
    })).resolves.toBe('done');
    expect(state.attempts).toBe(3);
  });

  it('retries a lost race the use case saw (DomainError.busy), and gives it up after the attempts', async () => {
    const { state, db } = runner();
    await expect(inTransaction(db, async () => { throw DomainError.busy('BUSY', 'moved', 'itemId'); }, 3)).rejects.toMatchObject({ kind: 'conflict', code: 'BUSY' });
    expect(state.attempts).toBe(3);
  });

  it('does not retry anything else', async () => {
    const { state, db } = runner();
    await expect(inTransaction(db, async () => { throw DomainError.conflict('X', 'no'); })).rejects.toMatchObject({ code: 'X' });
    await expect(inTransaction(db, async () => { throw Object.assign(new Error('unique'), { code: '23505' }); })).rejects.toThrow('unique');
    expect(state.attempts).toBe(2);
    expect(isRetryable({ driverError: { code: '40P01' } })).toBe(true);
  });
});
