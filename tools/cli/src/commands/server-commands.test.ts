import { importRun, openTracker, serveTrackingApi } from '@kelly/tracking';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'kelly-cli-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kelly(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(['node', 'kelly', ...args], {
      out: (t) => (out += t + '\n'),
      err: (t) => (err += t + '\n'),
    });
    return { code, out, err };
  } finally {
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

describe('kelly token and remote reads', () => {
  it('token create prints the secret once, list never shows it, revoke makes it fail with 401', async () => {
    const home = join(dir, 'tokens');
    const created = await kelly([
      '--home',
      home,
      'token',
      'create',
      '--scope',
      'read',
      '--name',
      'laptop',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const doc = JSON.parse(created.out) as { id: string; token: string; scope: string };
    expect(doc).toMatchObject({
      scope: 'read',
      token: expect.stringMatching(/^kelly_[0-9a-f]{12}_/) as string,
    });
    const listed = await kelly(['--home', home, 'token', 'list']);
    expect(listed.out).toContain(doc.id);
    expect(listed.out).toContain('laptop');
    expect(listed.out).not.toContain(doc.token.split('_')[2]);
    const t = openTracker({ home, handleSignals: false });
    expect(t.sql.prepare('SELECT hash FROM api_tokens').pluck().get()).not.toContain(doc.token.split('_')[2]);
    const srv = await serveTrackingApi({ tracker: t, port: 0 });
    try {
      const ok = await kelly(['runs', 'list', '--tracking-uri', srv.url], {
        KELLY_TRACKING_TOKEN: doc.token,
      });
      expect(ok).toMatchObject({ code: 0, out: 'no runs\n' });
      expect((await kelly(['--home', home, 'token', 'revoke', doc.id])).code).toBe(0);
      const refused = await kelly(['runs', 'list', '--tracking-uri', srv.url], {
        KELLY_TRACKING_TOKEN: doc.token,
      });
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/401 the token was revoked/);
      expect((await kelly(['--home', home, 'token', 'revoke', doc.id])).err).toMatch(/no live token with id/);
      expect((await kelly(['--home', home, 'token', 'create', '--scope', 'admin'])).err).toMatch(
        /--scope: must be read or write/,
      );
    } finally {
      await srv.close();
      t.close();
    }
  });

  it('runs list/show, compare and anomalies read the server with --tracking-uri; store writes refuse it', async () => {
    const home = join(dir, 'reads');
    const t = openTracker({ home, handleSignals: false });
    for (const id of ['r1', 'r2'])
      importRun(t, {
        id,
        experiment: 'melodytransformer',
        status: 'FINISHED',
        startedAt: Date.UTC(2025, 0, 2),
        durationS: 30,
        config: { lr: id === 'r1' ? 0.01 : 0.02 },
        metrics: [
          { key: 'loss', step: 0, epoch: 0, value: 1 },
          { key: 'loss', step: 1, epoch: 1, value: Number.NaN },
        ],
      });
    const srv = await serveTrackingApi({ tracker: t, port: 0 });
    const empty = join(dir, 'empty-home'); // the client's own home holds nothing: every answer comes from the server
    try {
      const remote = (...a: string[]) => kelly(['--home', empty, '--tracking-uri', srv.url, ...a]);
      const list = await remote('runs', 'list', '--json');
      expect((JSON.parse(list.out) as { runs: { id: string }[] }).runs.map((r) => r.id).sort()).toEqual([
        'r1',
        'r2',
      ]);
      const show = await remote('runs', 'show', 'r1', '--json');
      expect(JSON.parse(show.out)).toMatchObject({ id: 'r1', metrics: { loss: { nonFinite: 1 } } });
      expect((await remote('runs', 'show', 'nope')).err).toMatch(/nope/);
      const cmp = await remote('compare', 'r1', 'r2', '--json');
      expect(JSON.parse(cmp.out)).toMatchObject({ config: { changed: [{ key: 'lr' }] } });
      const anomalies = await remote('anomalies', '--json');
      expect((JSON.parse(anomalies.out) as { rules: { rule: string }[] }).rules.map((r) => r.rule)).toContain(
        'nan_loss',
      );
      const token = await remote('token', 'list');
      expect(token.code).toBe(2);
      expect(token.err).toMatch(/kelly token list needs the store itself/);
    } finally {
      await srv.close();
      t.close();
    }
  });

  it('kelly server refuses a non-loopback host while no token exists', async () => {
    const r = await kelly(['--home', join(dir, 'open'), 'server', '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /refusing to listen on 0\.0\.0\.0 without tokens: create one with `kelly token create --scope write`/,
    );
  });
});
