/**
 * The worker thread behind `PgSyncClient`, as source text run with `new Worker(source, { eval: true })`: no file to
 * resolve at run time, so it works the same from tsx, vitest and Next's bundled server. It resolves node-postgres
 * itself, from `workerData.from` (the client's source file): a bundler rewrites a `require.resolve('pg')` on the
 * main thread into its own module id, but never looks inside this string. If loading it fails, every request gets
 * that error as its reply (the caller never waits on a worker that cannot answer).
 *
 * Protocol: the main thread posts one request on `workerData.port` and blocks in `Atomics.wait` on
 * `workerData.flag[0]`; the worker runs it on its one connection, posts the reply on the same port, then sets the
 * flag to 1 and notifies. Requests: `{ op: 'query', text, values, rowMode, name? }` → `{ rows, rowCount, fields }`;
 * `{ op: 'exec', text }` (several statements, no parameters); `{ op: 'close' }`. A failure replies
 * `{ error: { message, code, detail, hint, position, severity } }`.
 *
 * Type parsers make rows look as better-sqlite3 returns them: int8/numeric → number, bool → 1/0, json/jsonb →
 * their text (callers decode JSON columns themselves).
 */
export const PG_WORKER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { port, flag, connectionString } = workerData;

function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

let pg;
try {
  pg = require(require('node:module').createRequire(workerData.from).resolve('pg'));
} catch (e) {
  const message = 'cannot load node-postgres (pg) from ' + workerData.from + ': ' + (e && e.message);
  port.on('message', () => reply({ error: { message, code: 'KELLY_PG_LOAD' } }));
}
if (pg) start();

function start() {
  const types = { getTypeParser: (oid, format) => parsers.get(oid) ?? pg.types.getTypeParser(oid, format) };
  const toNumber = (v) => (v === null ? null : Number(v));
  const parsers = new Map([
    [20, toNumber], // int8
    [1700, toNumber], // numeric
    [16, (v) => (v === null ? null : v === 't' ? 1 : 0)], // bool
    [114, (v) => v], // json
    [3802, (v) => v], // jsonb
  ]);
  const client = new pg.Client({ connectionString, types });
  let connectError = null;
  const ready = client.connect().catch((e) => { connectError = e; });
  client.on('error', () => {}); // a dropped connection fails the next query, which reports it
  const named = new Map();

  function errorOf(e) {
    return {
      error: {
        message: e && e.message ? e.message : String(e),
        code: e && e.code,
        detail: e && e.detail,
        hint: e && e.hint,
        position: e && e.position,
        severity: e && e.severity,
      },
    };
  }

  async function handle(req) {
    await ready;
    if (connectError) return { ...errorOf(connectError), connectFailed: true };
    if (req.op === 'close') {
      await client.end();
      return { closed: true };
    }
    if (req.op === 'exec') {
      const r = await client.query(req.text);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return { rows: [], rowCount: 0, fields: [], command: last && last.command };
    }
    const query = { text: req.text, values: req.values, rowMode: req.rowMode === 'array' ? 'array' : undefined };
    // server-side prepared statements for the first 1,000 texts (the hot ones); later texts are parsed each time
    let name = req.prepare ? named.get(req.text) : undefined;
    if (req.prepare && name === undefined && named.size < 1000) named.set(req.text, (name = 'k' + named.size));
    if (name !== undefined) query.name = name;
    const r = await client.query(query);
    return { rows: r.rows, rowCount: r.rowCount ?? 0, fields: r.fields.map((f) => f.name) };
  }

  port.on('message', (req) => {
    handle(req).then(reply, (e) => reply(errorOf(e)));
  });
}
`;
