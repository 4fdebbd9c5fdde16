import { describe, expect, it } from 'vitest';
import { bindValues, toPgPlaceholders } from './sql-placeholders';

describe('toPgPlaceholders: better-sqlite3 parameters as PostgreSQL $n', () => {
  it('numbers ? in order and leaves string literals, quoted identifiers and comments alone', () => {
    const sql = `SELECT 'a?b', 'it''s ?', "col?" FROM t -- why?\nWHERE x = ? /* and ? */ AND y IN (?, ?)`;
    expect(toPgPlaceholders(sql)).toEqual({
      text: `SELECT 'a?b', 'it''s ?', "col?" FROM t -- why?\nWHERE x = $1 /* and ? */ AND y IN ($2, $3)`,
      names: [null, null, null],
    });
  });

  it('gives a named parameter one number however often it appears, and keeps ::casts', () => {
    const r = toPgPlaceholders(`UPDATE t SET a = @now, b = :id::text WHERE id = $id AND at < @now AND c = ?`);
    expect(r.text).toBe(`UPDATE t SET a = $1, b = $2::text WHERE id = $2 AND at < $1 AND c = $3`);
    expect(r.names).toEqual(['now', 'id', null]);
  });

  it('binds positional values, arrays as their elements, and one object for named ones', () => {
    const r = toPgPlaceholders(`SELECT @a, ?, @b, ?`);
    expect(bindValues(r, [{ a: 1, b: 2n }, 'x', 'y'], 'q')).toEqual([1, 'x', '2', 'y']);
    expect(bindValues(toPgPlaceholders('VALUES (?, ?), (?, ?)'), [[1, 2, 3, undefined]], 'q')).toEqual([
      1,
      2,
      3,
      null,
    ]);
  });

  it('names the missing parameter and the SQL', () => {
    expect(() => bindValues(toPgPlaceholders('SELECT ?, ?'), [1], 'SELECT ?, ?')).toThrow(
      'missing value for parameter 2 in: SELECT ?, ?',
    );
    expect(() => bindValues(toPgPlaceholders('SELECT @id'), [{}], 'SELECT @id\nFROM t')).toThrow(
      "missing named parameter 'id' in: SELECT @id",
    );
  });
});
