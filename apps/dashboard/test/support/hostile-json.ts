/**
 * fast-check arbitraries of hostile request inputs, as JSON TEXT (a 100,000-deep nesting cannot be built as a
 * JS value and stringified: the text is written directly): wrong types, huge strings and arrays, deep nesting,
 * NaN/Infinity spellings (bare, as strings, in the wire format), path-like ids, unicode.
 */
import fc from 'fast-check';

const json = (v: unknown) => JSON.stringify(v);

export const nonFiniteSpellings = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999', // bare: not JSON
  json('NaN'),
  json('Infinity'),
  json('-Infinity'),
  json('+Inf'),
  json('nan'),
  json('1e999'),
  json({ $nf: 'NaN' }),
  json({ $nf: 'Infinity' }),
  json({ $nf: '-Infinity' }),
  json({ $nf: 'bogus' }),
  json({ $nf: 5 }),
  json({ $date: 'not a date' }),
  json({ $date: '+275760-09-13T00:00:00.001Z' }),
  '-0',
  '1e308',
  '5e-324',
  json(Number.MAX_SAFE_INTEGER + 2),
  '123456789012345678901234567890',
);

export const pathLike = fc.constantFrom(
  '../../etc/passwd',
  '/etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  'a/../../b',
  'a\u0000b',
  'NUL',
  'con.json',
  '.',
  '..',
  '~',
  'C:\\x',
  'file:///etc/passwd',
  '-rf',
  '--help',
  '--home=/tmp',
  ' ',
  '',
  'run id with spaces',
  '*',
  '%',
  '_',
  "'; DROP TABLE runs; --",
);

export const unicodeText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\ud800',
    '\udfff',
    'a\ud800b',
    '\u202eevil',
    '\u200b',
    '\ufeff',
    'İı',
    'ﬀ',
    '😀'.repeat(500),
  ),
);

/** Big but under the 1 MiB body limit once wrapped. */
export const huge = fc.oneof(
  fc.integer({ min: 10_000, max: 400_000 }).map((n) => json('x'.repeat(n))),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => `[${new Array<string>(n).fill('0').join(',')}]`),
  fc.integer({ min: 1_000, max: 30_000 }).map((n) => json(Array.from({ length: n }, (_, i) => `id-${i}`))),
  fc
    .integer({ min: 1_000, max: 20_000 })
    .map((n) => json(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])))),
);

export const deep = fc.oneof(
  fc.integer({ min: 50, max: 200_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 50, max: 100_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
);

export const wrongTypes = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.constantFrom(
    'null',
    'true',
    'false',
    '0',
    '-1',
    '1.5',
    '[]',
    '{}',
    '""',
    '[null]',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ),
);

/** One hostile JSON text. */
export const hostileJson = fc.oneof(
  { weight: 3, arbitrary: wrongTypes },
  { weight: 2, arbitrary: nonFiniteSpellings },
  { weight: 2, arbitrary: pathLike.map(json) },
  { weight: 2, arbitrary: unicodeText.map(json) },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: deep },
);

/** Builds the JSON text of an object from field → JSON text. */
export const objectText = (fields: [string, string][]) =>
  `{${fields.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;
