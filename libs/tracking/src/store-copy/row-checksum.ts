import { createHash } from 'node:crypto';

/**
 * A row's values as one canonical text, the same whichever store returned them: null, numbers (integers and
 * doubles alike, by their JS text, so 2 and 2.0 agree), bigints, strings and byte arrays, each tagged and
 * length-prefixed so no two rows share a text.
 */
export function rowText(values: readonly unknown[]): string {
  let out = '';
  for (const v of values) {
    let part: string;
    if (v === null || v === undefined) part = 'n';
    else if (typeof v === 'number') part = `d${Object.is(v, -0) ? '0' : String(v)}`;
    else if (typeof v === 'bigint') part = `d${v.toString()}`;
    else if (typeof v === 'string') part = `s${v}`;
    else if (v instanceof Uint8Array) part = `b${Buffer.from(v).toString('hex')}`;
    else throw new TypeError(`unexpected column value of type ${typeof v}`);
    out += `${part.length}:${part};`;
  }
  return out;
}

const MASK = (1n << 64n) - 1n;

/**
 * Count and checksum of a table, independent of row order (the stores may order text keys differently): the sum,
 * modulo 2^64, of the first 8 bytes of each row's sha256 (of {@link rowText}), printed as 16 hex digits.
 */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  add(values: readonly unknown[]): void {
    const digest = createHash('sha256').update(rowText(values)).digest();
    this.sum = (this.sum + digest.readBigUInt64BE(0)) & MASK;
    this.rows++;
  }

  get hex(): string {
    return this.sum.toString(16).padStart(16, '0');
  }
}
