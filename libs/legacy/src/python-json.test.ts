import { describe, expect, it } from 'vitest';
import { parsePythonJson, type PythonJsonResult } from './python-json';

const bytes = (s: string) => new TextEncoder().encode(s);
const ok = (r: PythonJsonResult) => {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r;
};
const bad = (r: PythonJsonResult) => {
  if (r.ok) throw new Error('expected a parse error');
  return r;
};

describe('parsePythonJson', () => {
  it('reads bare NaN, Infinity and -Infinity as numbers, anywhere a value may stand', () => {
    const r = ok(parsePythonJson(bytes('{"a": NaN, "b": [Infinity, -Infinity, 1.5e-3], "c": {"d": -0}}')));
    const v = r.value as { a: number; b: number[]; c: { d: number } };
    expect(v.a).toBeNaN();
    expect(v.b).toEqual([Infinity, -Infinity, 0.0015]);
    expect(Object.is(v.c.d, -0)).toBe(true);
    expect(r.nonFinite).toBe(true);
  });

  it('leaves NaN inside strings alone and does not flag strict files', () => {
    const r = ok(parsePythonJson(bytes('{"error": "loss was NaN", "n": 1}')));
    expect(r.value).toEqual({ error: 'loss was NaN', n: 1 });
    expect(r.nonFinite).toBe(false);
  });

  it('skips a UTF-8 BOM and accepts CRLF line ends', () => {
    const r = ok(parsePythonJson(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{\r\n  "x": NaN\r\n}')])));
    expect(r.bom).toBe(true);
    expect(r.crlf).toBe(true);
    expect((r.value as { x: number }).x).toBeNaN();
  });

  it('decodes escapes like JSON.parse (\\u00d7, \\n, surrogate pairs)', () => {
    const text = '{"notes": "6\\u00d76 \\"q\\" \\n \\ud83c\\udfb5", "v": NaN}';
    const v = ok(parsePythonJson(text)).value as { notes: string };
    expect(v.notes).toBe('6×6 "q" \n 🎵');
  });

  it('reports a truncated file with the byte offset of its end', () => {
    const text = '{\n  "final_train_loss": 3.0,\n  "final_val_loss": 3.40';
    const r = bad(parsePythonJson(bytes(text)));
    expect(r.offset).toBe(text.length);
    expect(r.reason).toMatch(/end of file/);
    expect(r.reason).toMatch(/line 3/);
  });

  it('rejects console text that merely starts with a number (no lenient "2025")', () => {
    const r = bad(parsePythonJson(bytes('2025-12-29 08:15:00 [INFO] PyTorch version: 2.5.1\n')));
    expect(r.offset).toBe(4);
  });

  it('counts the BOM and multi-byte characters in the byte offset', () => {
    // "é" is 2 bytes; the junk '}' after the closing brace is at char index 9 → byte 3 + 10
    const r = bad(parsePythonJson(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"é": NaN}}')])));
    expect(r.offset).toBe(3 + 11);
  });

  it('rejects two concatenated documents, bad literals, trailing commas, single quotes and NaN-like junk', () => {
    expect(bad(parsePythonJson('{"a":1}{"a":1}')).offset).toBe(7);
    expect(bad(parsePythonJson('{"a": Nan}')).offset).toBe(8);
    expect(bad(parsePythonJson('{"a": -Inf}')).offset).toBe(7);
    expect(bad(parsePythonJson('{"a": 1,}')).offset).toBe(8);
    expect(bad(parsePythonJson("{'a': 1}")).offset).toBe(1);
    expect(bad(parsePythonJson('{"a": 01}')).offset).toBe(7);
    expect(bad(parsePythonJson('{"a": 1.}')).offset).toBe(8);
    expect(bad(parsePythonJson('{"a": "x\ny"}')).offset).toBe(8);
    expect(bad(parsePythonJson('[1, 2')).reason).toMatch(/end of file/);
  });

  it('reports empty and whitespace-only files without an offset', () => {
    expect(bad(parsePythonJson(new Uint8Array())).reason).toBe('empty file (0 bytes)');
    expect(bad(parsePythonJson(bytes(' \r\n'))).offset).toBeNull();
  });

  it('reports invalid UTF-8 with the offset of the bad byte', () => {
    const r = bad(parsePythonJson(new Uint8Array([...bytes('{"a": "'), 0xc3, 0x28, ...bytes('"}')])));
    expect(r.offset).toBe(7);
    expect(r.reason).toMatch(/UTF-8/);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const r = bad(parsePythonJson('['.repeat(5000) + 'NaN' + ']'.repeat(5000)));
    expect(r.reason).toMatch(/nesting/);
  });

  it('agrees with JSON.parse on strict JSON once NaN forces the slow path', () => {
    // the slow path is taken because of the trailing NaN entry; the rest must equal JSON.parse
    const doc = {
      s: 'a\\b"c\u0001',
      n: [0, -1, 1e21, 2.5e-7, 123456789012345, -0.5],
      o: { nested: [true, false, null, { '': [] }] },
      ['__proto__']: 1,
    };
    const strict = JSON.stringify(doc);
    const tolerant = ok(parsePythonJson(strict.slice(0, -1) + ',"x":NaN}')).value as Record<string, unknown>;
    const expected = JSON.parse(strict) as Record<string, unknown>;
    expect(Object.keys(tolerant)).toEqual([...Object.keys(expected), 'x']);
    for (const key of Object.keys(expected)) expect(tolerant[key]).toEqual(expected[key]);
    expect(Object.getPrototypeOf(tolerant)).toBe(Object.prototype);
  });
});
