import { resolveEmotionHierarchy, writeEmotionThesaurus } from '@kelly/features';
import { getRun, openTracker } from '@kelly/tracking';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';

/**
 * The emotion hierarchy comes from the repository (bundled JSON) unless `--thesaurus` / KELLY_THESAURUS_DIR
 * names a Kelly thesaurus folder; a bad folder is a usage error naming the file and field, before any run.
 */
let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelly-trainer-thesaurus-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function io(lines: string[], env: Record<string, string> = {}) {
  return { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env };
}
const runCount = (home: string) => {
  const t = openTracker({ home, handleSignals: false });
  try {
    return (t.sql.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  } finally {
    t.close();
  }
};

/** A thesaurus folder written from the bundled hierarchy, with one leaf renamed and `edit` applied to angry.json. */
function thesaurus(
  name: string,
  edit?: (data: { sub_emotions: Record<string, Record<string, unknown>> }) => void,
) {
  const dir = writeEmotionThesaurus(join(root, name), resolveEmotionHierarchy());
  const file = join(dir, 'angry.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    sub_emotions: Record<string, Record<string, unknown>>;
  };
  edit?.(data);
  writeFileSync(file, JSON.stringify(data));
  return dir;
}

describe('trainer emotion thesaurus', { timeout: 240_000 }, () => {
  it('a malformed thesaurus (flag or env) is refused before any run, naming the file and field', async () => {
    const home = join(root, 'bad-home');
    const bad = thesaurus('bad', (d) => {
      d.sub_emotions.RAGE!.arousal_bias = 'very';
    });
    const lines: string[] = [];
    expect(await main(['emotion-node', '--thesaurus', bad, '--home', home], io(lines))).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--thesaurus/);
    expect(lines[0]).toContain(`${join(bad, 'angry.json')}: field sub_emotions.RAGE.arousal_bias`);
    const envLines: string[] = [];
    expect(await main(['emotion-node', '--home', home], io(envLines, { KELLY_THESAURUS_DIR: bad }))).toBe(2);
    expect(envLines[0]).toContain('angry.json: field sub_emotions.RAGE.arousal_bias');
    const missing: string[] = [];
    expect(
      await main(['emotion-node', '--thesaurus', join(root, 'nowhere'), '--home', home], io(missing)),
    ).toBe(2);
    expect(missing[0]).toMatch(/emotion thesaurus not found at .*nowhere/);
    expect(await main(['melody', '--thesaurus', bad, '--home', home], io([]))).toBe(2);
    expect(runCount(home)).toBe(0);
  });

  it('KELLY_THESAURUS_DIR overrides the bundled hierarchy; the run records the folder and the card names it', async () => {
    const home = join(root, 'env-home');
    const dir = thesaurus('renamed', (d) => {
      const rage = d.sub_emotions.RAGE as { sub_sub_emotions: Record<string, unknown> };
      rage.sub_sub_emotions = Object.fromEntries(
        Object.entries(rage.sub_sub_emotions).map(([k, v], i) => [i === 0 ? 'incandescent' : k, v]),
      );
    });
    const lines: string[] = [];
    const args = ['emotion-node', '--preset', 'smoke', '--epochs', '1', '--size', '24', '--home', home];
    const code = await main([...args, '--progress', 'lines'], io(lines, { KELLY_THESAURUS_DIR: dir }));
    expect(code, lines.join('\n')).toBe(0);
    const id = lines.map((l) => /^run (\S+) started/.exec(l)?.[1]).find(Boolean)!;
    const t = openTracker({ home, handleSignals: false });
    try {
      const run = getRun(t, id);
      expect((run.config.data as { thesaurus: unknown }).thesaurus).toBe(dir);
      const card = run.artifacts.find((a) => a.kind === 'dataset-card')!;
      expect(readFileSync(join(t.paths.artifacts, card.path), 'utf8')).toContain(
        `read from the thesaurus folder ${dir}`,
      );
    } finally {
      t.close();
    }
  });
});
