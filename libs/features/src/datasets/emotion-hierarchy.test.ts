import { fixture } from '@kelly/test-support';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main as deriveMain } from '../../scripts/derive-emotion-hierarchy';
import {
  hierarchyFromJson,
  hierarchyToJson,
  loadHierarchyJson,
  resolveEmotionHierarchy,
  type HierarchyJson,
} from './emotion-hierarchy';
import { loadEmotionThesaurus } from './emotion-thesaurus';
import { writeEmotionThesaurus } from './emotion-thesaurus-writer';
import { buildSynthDataset } from './synth-datasets';

const thesaurusFixture = fixture(['kelly', 'emotion_thesaurus', 'metadata.json']);
const tmp = mkdtempSync(join(tmpdir(), 'kelly-thesaurus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function thesaurusCopy(name: string, edit?: (file: string, data: Record<string, unknown>) => void): string {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeEmotionThesaurus(dir, resolveEmotionHierarchy());
  if (edit) {
    const file = join(dir, 'angry.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(file, data);
    writeFileSync(file, JSON.stringify(data));
  }
  return dir;
}

describe('emotion hierarchy', () => {
  it('the bundled hierarchy has 6 × 6 × 6 indexed nodes and arousal biases', () => {
    const h = resolveEmotionHierarchy();
    expect(h.source).toBe('bundled');
    expect(h.bases).toEqual(['HAPPY', 'SAD', 'ANGRY', 'FEAR', 'SURPRISE', 'DISGUST']);
    expect(h.subs).toHaveLength(36);
    expect(h.nodes.map((n) => n.index)).toEqual([...Array(216).keys()]);
    for (const n of h.nodes) {
      expect(n.index).toBe(n.base * 36 + n.sub * 6 + n.leaf);
      expect(h.subs[n.subGlobal]).toBe(n.subName);
    }
    expect(new Set(h.nodes.map((n) => n.arousalBias)).size).toBeGreaterThan(3);
  });

  it.skipIf(!thesaurusFixture.present)(
    `the bundled JSON is exactly what the derive script gets from the thesaurus fixture (${thesaurusFixture.needs})`,
    () => {
      const dir = dirname(thesaurusFixture.path);
      const derived = loadEmotionThesaurus(dir);
      const bundled = loadHierarchyJson();
      expect(hierarchyToJson(derived, bundled.derivedFrom)).toEqual(bundled);
      expect(resolveEmotionHierarchy().nodes).toEqual(derived.nodes);
      expect(deriveMain(['node', 'derive', '--from', dir, '--check'])).toBe(0);
    },
  );

  it('a hierarchy written as a thesaurus folder reads back to the same nodes', () => {
    const h = resolveEmotionHierarchy();
    const dir = writeEmotionThesaurus(join(tmp, 'round-trip'), h);
    expect(loadEmotionThesaurus(dir).nodes).toEqual(h.nodes);
  });

  it('the derive script writes the JSON from a thesaurus folder, and --check sees a stale file', () => {
    const dir = thesaurusCopy('derive', (_f, data) => {
      const subs = data.sub_emotions as Record<string, { arousal_bias: number }>;
      subs[Object.keys(subs)[0]!]!.arousal_bias = 0.123;
    });
    const out = join(tmp, 'derived.json');
    expect(deriveMain(['node', 'derive', '--from', dir, '--out', out])).toBe(0);
    const h = hierarchyFromJson(loadHierarchyJson(out), 'x');
    expect(h.nodes.filter((n) => n.arousalBias === 0.123).map((n) => n.subGlobal)).toEqual(Array(6).fill(12));
    expect(deriveMain(['node', 'derive', '--from', dir, '--out', out, '--check'])).toBe(0);
    expect(deriveMain(['node', 'derive', '--from', thesaurusCopy('plain'), '--out', out, '--check'])).toBe(1);
  });

  it('a given thesaurus folder overrides the bundled hierarchy, names and all', async () => {
    const dir = thesaurusCopy('renamed', (_f, data) => {
      const subs = data.sub_emotions as Record<string, { sub_sub_emotions: Record<string, unknown> }>;
      const first = subs[Object.keys(subs)[0]!]!;
      const [leaf, value] = Object.entries(first.sub_sub_emotions)[0]!;
      delete first.sub_sub_emotions[leaf];
      first.sub_sub_emotions = { renamed_leaf: value, ...first.sub_sub_emotions };
    });
    const h = resolveEmotionHierarchy(dir);
    expect(h.source).toBe(`thesaurus:${dir}`);
    expect(h.nodes[72]!.name).toBe('renamed_leaf');
    const d = await buildSynthDataset('emotion-node', { size: 12, clipFrames: 20, thesaurusDir: dir });
    expect(d.labels![72]).toBe('ANGRY/IRRITATION/renamed_leaf');
    expect(d.card).toContain(`read from the thesaurus folder ${dir}`);
  });

  const bad: [string, (file: string, data: Record<string, unknown>) => void, RegExp][] = [
    [
      'an arousal bias that is not a number',
      (_f, data) => {
        const subs = data.sub_emotions as Record<string, Record<string, unknown>>;
        subs.HOSTILITY!.arousal_bias = 'high';
      },
      /angry\.json: field sub_emotions\.HOSTILITY\.arousal_bias: .*number/,
    ],
    [
      'five leaves under a sub-emotion',
      (_f, data) => {
        const subs = data.sub_emotions as Record<string, { sub_sub_emotions: Record<string, unknown> }>;
        delete subs.RAGE!.sub_sub_emotions[Object.keys(subs.RAGE!.sub_sub_emotions)[0]!];
      },
      /angry\.json: field sub_emotions\.RAGE\.sub_sub_emotions: has 5 entries, expected 6/,
    ],
    [
      'a leaf without intensity tiers',
      (_f, data) => {
        const subs = data.sub_emotions as Record<string, { sub_sub_emotions: Record<string, object> }>;
        const leaves = subs.JEALOUSY!.sub_sub_emotions;
        leaves[Object.keys(leaves)[1]!] = { id: 'x' };
      },
      /angry\.json: field sub_emotions\.JEALOUSY\.sub_sub_emotions\.possessive\.intensity_tiers: /,
    ],
  ];
  for (const [what, edit, message] of bad)
    it(`a thesaurus file with ${what} is refused, naming the file and field`, () => {
      const dir = thesaurusCopy(what.replace(/\W+/g, '-'), edit);
      expect(() => resolveEmotionHierarchy(dir)).toThrow(message);
    });

  it('a malformed metadata.json or hierarchy JSON names the file and field', () => {
    const dir = thesaurusCopy('meta');
    writeFileSync(
      join(dir, 'metadata.json'),
      JSON.stringify({ base_emotions: [{ id: 'I', name: 'HAPPY' }] }),
    );
    expect(() => resolveEmotionHierarchy(dir)).toThrow(/metadata\.json: field base_emotions(\[0\]\.file)?: /);
    const file = join(tmp, 'bad-hierarchy.json');
    const j = structuredClone(loadHierarchyJson()) as HierarchyJson & {
      bases: { subs: { arousalBias: unknown }[] }[];
    };
    j.bases[3]!.subs[2]!.arousalBias = 7;
    writeFileSync(file, JSON.stringify(j));
    expect(() => loadHierarchyJson(file)).toThrow(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field bases\\[3\\]\\.subs\\[2\\]\\.arousalBias: `,
      ),
    );
  });
});
