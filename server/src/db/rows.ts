import type { InValue } from '@libsql/client';
import type { Stmt } from './hot.js';

/**
 * Rows per statement at most. SQLite allows 32,766 variables per statement (999 before 3.32);
 * 64 rows of up to a dozen columns stay well under either, with room for a guard's arguments.
 */
export const MAX_ROWS_PER_STATEMENT = 64;

/**
 * Many rows as few multi-row statements: `make` gets the `VALUES (?,..),(?,..)` text of a chunk
 * and returns its statement; each chunk's arguments are its rows' then `tail` (a guard's).
 * Chunks are powers of two (12 rows: 8 then 4), so a hot path prepares at most seven texts per
 * statement and the prepared-statement cache keeps them all; the rows keep their order.
 * Triggers `FOR EACH ROW` fire for every row as they would for one statement per row.
 */
export function insertRows(
  make: (values: string) => string,
  rows: InValue[][],
  tail: InValue[] = [],
): Stmt[] {
  const out: Stmt[] = [];
  let i = 0;
  while (i < rows.length) {
    let n = MAX_ROWS_PER_STATEMENT;
    while (n > rows.length - i) n >>= 1;
    const chunk = rows.slice(i, i + n);
    const width = chunk[0]!.length;
    const one = `(${Array.from({ length: width }, () => '?').join(',')})`;
    out.push({
      sql: make(Array.from({ length: n }, () => one).join(',')),
      args: [...chunk.flat(), ...tail],
    });
    i += n;
  }
  return out;
}
