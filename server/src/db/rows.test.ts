import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { insertRows, MAX_ROWS_PER_STATEMENT } from './rows.js';

describe('insertRows', () => {
  const make = (values: string) => `INSERT INTO t (a, b) SELECT * FROM (VALUES ${values}) WHERE ?`;

  it('splits rows into power-of-two chunks, in order, each with the tail', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [i, `r${i}`]);
    const stmts = insertRows(make, rows, [1]);
    expect(stmts.map((s) => (s.args.length - 1) / 2)).toEqual([8, 4]);
    expect(stmts[0]!.args.at(-1)).toBe(1);
    expect(stmts.flatMap((s) => s.args.slice(0, -1))).toEqual(rows.flat());
  });

  it('caps a chunk and writes nothing for no rows', () => {
    const n = MAX_ROWS_PER_STATEMENT * 2 + 3;
    const stmts = insertRows(
      make,
      Array.from({ length: n }, (_, i) => [i, 'x']),
    );
    expect(stmts.map((s) => s.args.length / 2)).toEqual([
      MAX_ROWS_PER_STATEMENT,
      MAX_ROWS_PER_STATEMENT,
      2,
      1,
    ]);
    expect(insertRows(make, [])).toEqual([]);
  });

  it('inserts every row, fires row triggers for each, and honours the guard', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); CREATE TABLE n (c INTEGER)');
    db.exec('INSERT INTO n VALUES (0)');
    db.exec(
      'CREATE TRIGGER t_count AFTER INSERT ON t FOR EACH ROW BEGIN UPDATE n SET c = c + 1; END',
    );
    const upsert = (values: string) =>
      `INSERT INTO t (a, b) SELECT * FROM (VALUES ${values}) WHERE ? ON CONFLICT DO NOTHING`;
    const run = (rows: (number | string)[][], guard: number) => {
      for (const s of insertRows(upsert, rows, [guard])) db.prepare(s.sql).run(s.args);
    };
    run(
      [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
      ],
      0,
    );
    expect(db.prepare('SELECT count(*) FROM t').raw(true).get()).toEqual([0]);
    run(
      [
        [1, 'a'],
        [2, 'b'],
        [2, 'dup'],
        [3, 'c'],
        [4, 'd'],
      ],
      1,
    );
    expect(db.prepare('SELECT a, b FROM t ORDER BY a').raw(true).all()).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
    ]);
    expect(db.prepare('SELECT c FROM n').raw(true).get()).toEqual([4]);
  });
});
