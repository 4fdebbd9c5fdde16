/**
 * A reader for the JSON that Python's `json.dump` writes with its defaults (`allow_nan=True`):
 * standard JSON (RFC 8259) plus the bare tokens `NaN`, `Infinity` and `-Infinity`, optionally behind a
 * UTF-8 byte-order mark, with LF or CRLF line ends. Everything else that is not JSON is rejected with
 * the byte offset (into the file, BOM included) of the first byte that cannot be read.
 *
 * Strict files take the native `JSON.parse` path; only files it rejects are re-read by the small
 * recursive-descent parser below, which is what gives the extra tokens and the exact offsets.
 */

import { ParseFailure, Parser, type PythonJsonValue } from './python-json-parser';
import { byteLength, firstInvalidUtf8, lineColumn } from './text-position';

export type { PythonJsonValue };

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
