/** SQL written for better-sqlite3 (`?`, `@name`, `:name`, `$name`) rewritten for PostgreSQL (`$1…`). */
export interface PgSql {
  text: string;
  /** Per `$n` (index n-1): the name of a named parameter, or null for a positional `?`. */
  names: (string | null)[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

/**
 * Rewrites placeholders to `$1…` in order of appearance; a named parameter used twice gets one number. String
 * literals ('…'), quoted identifiers ("…"), comments and PostgreSQL casts (`::type`) are left as they are.
 */
export function toPgPlaceholders(sql: string): PgSql {
  const names: (string | null)[] = [];
  const named = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c)
            j += 2; // doubled quote inside the literal
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? n : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? n : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
    } else if (c === '?') {
      names.push(null);
      out += `$${names.length}`;
      i++;
    } else if ((c === '@' || c === ':' || c === '$') && IDENT_START.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && IDENT.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let k = named.get(name);
      if (k === undefined) {
        names.push(name);
        k = names.length;
        named.set(name, k);
      }
      out += `$${k}`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, names };
}

/**
 * The values for `$1…`, from better-sqlite3-style arguments: positional values, or one object for named
 * parameters (which may also be followed or preceded by positional ones); an array stands for its elements.
 * @throws Error naming the missing parameter and the SQL's first line.
 */
export function bindValues(sql: PgSql, args: unknown[], source: string): unknown[] {
  if (sql.names.length === 0) return [];
  const objectArg = args.find(isNamedArgs);
  // as better-sqlite3: an array argument stands for its elements
  const positional = args.flatMap((a) => (Array.isArray(a) ? (a as unknown[]) : isNamedArgs(a) ? [] : [a]));
  let p = 0;
  return sql.names.map((name) => {
    if (name === null) {
      if (p >= positional.length)
        throw new Error(`missing value for parameter ${p + 1} in: ${firstLine(source)}`);
      return toPgValue(positional[p++]);
    }
    if (!objectArg || !(name in objectArg))
      throw new Error(`missing named parameter '${name}' in: ${firstLine(source)}`);
    return toPgValue(objectArg[name]);
  });
}

function isNamedArgs(a: unknown): a is Record<string, unknown> {
  return (
    typeof a === 'object' && a !== null && !Array.isArray(a) && !Buffer.isBuffer(a) && !ArrayBuffer.isView(a)
  );
}

/** SQLite binds bigint as INTEGER and undefined is refused there; PostgreSQL gets the decimal text / null. */
function toPgValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return null;
  return v;
}

export function firstLine(sql: string): string {
  const line = sql.trim().split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
