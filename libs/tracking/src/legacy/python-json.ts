/**
 * A reader for the JSON that Python's `json.dump` writes with its defaults (`allow_nan=True`):
 * standard JSON (RFC 8259) plus the bare tokens `NaN`, `Infinity` and `-Infinity`, optionally behind a
 * UTF-8 byte-order mark, with LF or CRLF line ends. Everything else that is not JSON is rejected with
 * the byte offset (into the file, BOM included) of the first byte that cannot be read.
 *
 * Strict files take the native `JSON.parse` path; only files it rejects are re-read by the small
 * recursive-descent parser below, which is what gives the extra tokens and the exact offsets.
 */

export type PythonJsonValue =
  null | boolean | number | string | PythonJsonValue[] | { [key: string]: PythonJsonValue };

export interface PythonJsonOk {
  ok: true;
  value: PythonJsonValue;
  /** The file began with a UTF-8 BOM (EF BB BF), which was skipped. */
  bom: boolean;
  /** The file uses CRLF line ends somewhere. */
  crlf: boolean;
  /** Bare NaN / Infinity / -Infinity tokens were present (the file is not strict JSON). */
  nonFinite: boolean;
}

export interface PythonJsonError {
  ok: false;
  /** One sentence, e.g. `unexpected end of file inside a number at byte 1366 (line 57, column 22)`. */
  reason: string;
  /** Byte offset into the file of the first unreadable byte; null when there is no position (empty file). */
  offset: number | null;
}

export type PythonJsonResult = PythonJsonOk | PythonJsonError;

const MAX_DEPTH = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses Python-flavoured JSON from raw file bytes (or an already decoded string). Never throws. */
export function parsePythonJson(input: Uint8Array | string): PythonJsonResult {
  let text: string;
  let bom = false;
  if (typeof input === 'string') {
    text = input;
    if (text.charCodeAt(0) === 0xfeff) {
      bom = true;
      text = text.slice(1);
    }
  } else {
    if (input.length === 0) return { ok: false, reason: 'empty file (0 bytes)', offset: null };
    bom = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
    const body = bom ? input.subarray(3) : input;
    try {
      text = utf8.decode(body);
    } catch {
      const at = firstInvalidUtf8(body) + (bom ? 3 : 0);
      return { ok: false, reason: `invalid UTF-8 at byte ${at}`, offset: at };
    }
  }
  const crlf = text.includes('\r\n');
  if (text.trim() === '') {
    return text.length === 0
      ? {
          ok: false,
          reason: bom ? 'no JSON value after the byte-order mark' : 'empty file (0 bytes)',
          offset: null,
        }
      : { ok: false, reason: 'no JSON value: the file holds only whitespace', offset: null };
  }
  try {
    return { ok: true, value: JSON.parse(text) as PythonJsonValue, bom, crlf, nonFinite: false };
  } catch {
    // Not strict JSON: re-read with the tolerant parser, which knows NaN/Infinity and where things break.
  }
  const parser = new Parser(text);
  try {
    const value = parser.document();
    return { ok: true, value, bom, crlf, nonFinite: parser.nonFinite };
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    const offset = (bom ? 3 : 0) + byteLength(text, e.index);
    const { line, column } = lineColumn(text, e.index);
    return { ok: false, reason: `${e.message} at byte ${offset} (line ${line}, column ${column})`, offset };
  }
}

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/** Recursive descent over UTF-16 code units; `i` is the index of the next unread unit. */
class Parser {
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

/** UTF-8 byte length of `text[0, end)`. */
function byteLength(text: string, end: number): number {
  return Buffer.byteLength(text.slice(0, end), 'utf8');
}

function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < index && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
