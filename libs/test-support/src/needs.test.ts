import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTestEnv } from './env';
import { chromium, fixture, MissingFixtureError, REPO_ROOT, shared, SHARED_DIR } from './needs';

const REQUIRE = { KELLY_REQUIRE_FIXTURES: '1' };
const root = mkdtempSync(join(tmpdir(), 'kelly-needs-'));
mkdirSync(join(root, 'shared', 'fixtures', 'legacy-logs'), { recursive: true });
writeFileSync(join(root, 'shared', 'fixtures', 'legacy-logs', 'a.json'), '{}');
const sharedDir = join(root, 'shared');
const missingDir = join(root, 'moved-away');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fixture / shared / chromium', () => {
  it('finds what is there, with or without KELLY_REQUIRE_FIXTURES', () => {
    for (const env of [{}, REQUIRE]) {
      const logs = fixture('legacy-logs', { sharedDir, env });
      expect(logs).toMatchObject({ present: true, path: join(sharedDir, 'fixtures', 'legacy-logs') });
      expect(fixture(['legacy-logs', 'a.json'], { sharedDir, env }).present).toBe(true);
    }
  });

  it('without KELLY_REQUIRE_FIXTURES a missing folder or file is reported, to skip with that reason', () => {
    const gone = fixture('legacy-logs', { sharedDir: missingDir, env: {} });
    expect(gone.present).toBe(false);
    expect(gone.needs).toBe(`needs ${join(missingDir, 'fixtures', 'legacy-logs')}`);
    expect(
      fixture(['legacy-logs', 'b.json'], { sharedDir, env: { KELLY_REQUIRE_FIXTURES: '0' } }).present,
    ).toBe(false);
  });

  it('under KELLY_REQUIRE_FIXTURES=1 a missing ../shared folder fails, naming it', () => {
    const call = () => fixture('legacy-logs', { sharedDir: missingDir, env: REQUIRE });
    expect(call).toThrow(MissingFixtureError);
    expect(call).toThrow(
      `KELLY_REQUIRE_FIXTURES=1 and ${join(missingDir, 'fixtures', 'legacy-logs')} is missing`,
    );
  });

  it('under KELLY_REQUIRE_FIXTURES=1 a missing fixture file or vendored folder fails, naming it', () => {
    expect(() => fixture(['legacy-logs', 'b.json'], { sharedDir, env: REQUIRE })).toThrow(
      /legacy-logs\/b\.json is missing/,
    );
    expect(() => shared(['vendor', 'rtneural'], { sharedDir, env: REQUIRE })).toThrow(
      /vendor\/rtneural is missing/,
    );
  });

  it('under KELLY_REQUIRE_FIXTURES=1 a missing Chromium fails, naming it', () => {
    const path = join(missingDir, 'chromium');
    expect(chromium({ path, env: {} })).toMatchObject({
      present: false,
      needs: expect.stringContaining(path),
    });
    expect(() => chromium({ path, env: REQUIRE })).toThrow(
      /Chromium \(.*moved-away\/chromium.*\) is missing/,
    );
  });

  it('names the default location relative to the repo, where vitest and CI expect ../shared', () => {
    expect(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('kelly-ml');
    expect(SHARED_DIR).toBe(join(REPO_ROOT, '..', 'shared'));
    expect(fixture('no-such-fixture', { env: {} }).needs).toBe('needs ../shared/fixtures/no-such-fixture');
  });

  it('KELLY_SHARED_DIR moves the shared folder (to try a run without it), named in full', () => {
    const env = { KELLY_SHARED_DIR: missingDir, KELLY_REQUIRE_FIXTURES: '1' };
    expect(() => fixture('kelly', { env })).toThrow(`${join(missingDir, 'fixtures', 'kelly')} is missing`);
    expect(fixture('legacy-logs', { env: { KELLY_SHARED_DIR: sharedDir } }).present).toBe(true);
  });

  it('rejects a KELLY_REQUIRE_FIXTURES that is not 0 or 1, naming the variable', () => {
    expect(readTestEnv({ KELLY_REQUIRE_FIXTURES: '1' })).toEqual({ requireFixtures: true, store: 'sqlite' });
    expect(readTestEnv({})).toEqual({ requireFixtures: false, store: 'sqlite' });
    expect(() => readTestEnv({ KELLY_REQUIRE_FIXTURES: 'yes' })).toThrow(/KELLY_REQUIRE_FIXTURES/);
  });
});
