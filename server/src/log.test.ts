import { describe, expect, it } from 'vitest';
import { createErrorLog, errorKind, failureStreak } from './log.js';
import { testClock } from './testing.js';

/** A connection failure as the libSQL HTTP client reports it, wrapped by drizzle with the SQL. */
function outageError(port: number, sql: string) {
  const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), {
    code: 'ECONNREFUSED',
  });
  return new Error(`Failed query: ${sql}\nparams: a@b.c`, {
    cause: new TypeError('fetch failed', { cause: refused }),
  });
}

describe('error log', () => {
  it('writes the first error of a kind and counts repeats within the window', () => {
    const clock = testClock();
    const lines: string[] = [];
    const log = createErrorLog({
      now: clock,
      write: (...a) => lines.push(a.map(String).join(' ')),
    });
    for (let i = 0; i < 200; i++) {
      log.report('[database] unavailable', `id${i}`, outageError(8080, `select ${i}`));
      clock.advance(5);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[database\] unavailable \(error id id0\):/);
    clock.advance(10_000);
    log.report('[database] unavailable', 'id200', outageError(8080, 'select 200'));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/199 more like this in the last 10 s \(latest error id id199/);
    expect(lines[2]).toMatch(/\(error id id200\)/);
  });

  it('keeps kinds apart and reports pending counts on flush', () => {
    const clock = testClock();
    const lines: string[] = [];
    const log = createErrorLog({
      now: clock,
      write: (...a) => lines.push(a.map(String).join(' ')),
    });
    log.report('a', '1');
    log.report('b', '2');
    log.report('a', '3');
    expect(lines).toEqual(['a (error id 1):', 'b (error id 2):']);
    log.flush();
    expect(lines[2]).toMatch(/^a: 1 more like this/);
    expect(lines).toHaveLength(3);
  });

  it('names an error by its innermost cause, without SQL, addresses or numbers', () => {
    expect(errorKind(outageError(8080, 'select 1'))).toBe(
      errorKind(outageError(9999, 'select * from users where email = ?')),
    );
    expect(errorKind(outageError(1, 'x'))).toBe('ECONNREFUSED: connect ECONNREFUSED N.N.N.N:N');
  });
});

describe('failure streak', () => {
  it('writes the first failure, counts the rest, reminds each minute, and says when it recovers', () => {
    const clock = testClock();
    const lines: string[] = [];
    const s = failureStreak('[scheduler] tick', {
      now: clock,
      write: (...a) =>
        lines.push(a.map((x) => (x instanceof Error ? x.message : String(x))).join(' ')),
    });
    s.succeeded();
    expect(lines).toEqual([]);
    for (let i = 0; i < 90; i++) {
      s.failed(outageError(8080, `select ${i}`));
      clock.advance(1000);
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[scheduler\] tick failed: retrying/);
    expect(lines[1]).toBe(
      '[scheduler] tick still failing: 61 failures in 60 s: ECONNREFUSED: connect ECONNREFUSED N.N.N.N:N',
    );
    s.succeeded();
    s.succeeded();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('[scheduler] tick recovered after 90 failures in 90 s');
  });

  it('writes a failure of another kind during a streak', () => {
    const lines: string[] = [];
    const s = failureStreak('x', { now: testClock(), write: (m) => lines.push(String(m)) });
    s.failed(new Error('database is locked'));
    s.failed(new Error('database is locked'));
    s.failed(new TypeError('boom'));
    expect(lines).toEqual([
      'x failed: retrying; repeats are counted, not logged',
      'x failed differently after 2 failures: retrying; repeats are counted, not logged',
    ]);
  });
});
