/** A JSON value as Python's json module reads it (NaN and ±Infinity allowed). */
export type PythonJsonValue =
  null | boolean | number | string | PythonJsonValue[] | { [key: string]: PythonJsonValue };

const MAX_DEPTH = 512;

/** A parse error at `index` (UTF-16 code unit index into the decoded text). */
export class ParseFailure extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * Python-flavoured JSON by recursive descent over UTF-16 code units; `i` is the index of the next unread unit.
 * Throws `ParseFailure` at the first character that cannot be read.
 */
export class Parser {
  i = 0;
  nonFinite = false;
  constructor(private readonly s: string) {}

  document(): PythonJsonValue {
    this.ws();
    const value = this.value(0);
    this.ws();
    if (this.i < this.s.length) {
      throw new ParseFailure(`unexpected ${this.describe(this.i)} after the end of the JSON value`, this.i);
    }
    return value;
  }

  private fail(what: string): never {
    if (this.i >= this.s.length)
      throw new ParseFailure(`unexpected end of file (truncated?) ${what}`, this.i);
    throw new ParseFailure(`unexpected ${this.describe(this.i)} ${what}`, this.i);
  }

  private describe(at: number): string {
    const c = this.s.charCodeAt(at);
    if (c < 0x20 || c > 0x7e) return `character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
    return `'${this.s[at]}'`;
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }

  private value(depth: number): PythonJsonValue {
    if (depth > MAX_DEPTH) throw new ParseFailure(`nesting deeper than ${MAX_DEPTH} levels`, this.i);
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth);
      case 0x5b /* [ */:
        return this.array(depth);
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.word('true', true);
      case 0x66 /* f */:
        return this.word('false', false);
      case 0x6e /* n */:
        return this.word('null', null);
      case 0x4e /* N */:
        this.nonFinite = true;
        return this.word('NaN', NaN);
      case 0x49 /* I */:
        this.nonFinite = true;
        return this.word('Infinity', Infinity);
      default:
        if (c === 0x2d /* - */ && this.s.startsWith('-Infinity', this.i)) {
          this.nonFinite = true;
          this.i += 9;
          return -Infinity;
        }
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail('where a value was expected');
    }
  }

  private word<T extends PythonJsonValue>(word: string, value: T): T {
    if (!this.s.startsWith(word, this.i)) {
      // advance to the first differing character so the offset points at it
      let k = 0;
      while (k < word.length && this.s[this.i + k] === word[k]) k++;
      this.i += k;
      this.fail(`inside the literal '${word}'`);
    }
    this.i += word.length;
    return value;
  }

  private object(depth: number): Record<string, PythonJsonValue> {
    const out: Record<string, PythonJsonValue> = {};
    this.i++; // {
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s.charCodeAt(this.i) !== 0x22)
        this.fail('where a property name in double quotes was expected');
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail(`after the property name "${key}" (expected ':')`);
      this.i++;
      this.ws();
      const value = this.value(depth + 1);
      // defineProperty so that a key named "__proto__" is data, as with JSON.parse
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return out;
      }
      this.fail(`after the value of "${key}" (expected ',' or '}')`);
    }
  }

  private array(depth: number): PythonJsonValue[] {
    const out: PythonJsonValue[] = [];
    this.i++; // [
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.ws();
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return out;
      }
      this.fail(`in an array (expected ',' or ']')`);
    }
  }

  private string(): string {
    const s = this.s;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail('inside a string');
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.i = i;
        this.fail('inside a string (control characters must be escaped)');
      }
      if (c === 0x5c) {
        escaped = true;
        const e = s.charCodeAt(i + 1);
        if (e === 0x75 /* u */) {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
            this.i = i;
            this.fail('in a \\u escape (expected 4 hex digits)');
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(s[i + 1] ?? '') || i + 1 >= s.length) {
          this.i = i + 1;
          this.fail('after a backslash in a string');
        }
        i += 2;
        continue;
      }
      i++;
    }
    this.i = i + 1;
    const raw = s.slice(start, i + 1);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  private number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    const digit = (k: number) => {
      const c = s.charCodeAt(k);
      return c >= 0x30 && c <= 0x39;
    };
    if (s.charCodeAt(i) === 0x2d) i++;
    if (s.charCodeAt(i) === 0x30) i++;
    else if (digit(i)) while (digit(i)) i++;
    else {
      this.i = i;
      this.fail('in a number (expected a digit)');
    }
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      if (!digit(i)) {
        this.i = i;
        this.fail('in a number (expected a digit after the decimal point)');
      }
      while (digit(i)) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!digit(i)) {
        this.i = i;
        this.fail('in a number (expected a digit in the exponent)');
      }
      while (digit(i)) i++;
    }
    this.i = i;
    return Number(s.slice(start, i));
  }
}
