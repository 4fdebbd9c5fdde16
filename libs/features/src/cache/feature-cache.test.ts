import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { logMel } from '../dsp/log-mel';
import { extractLogMelParallel } from '../parallel/extract-parallel';
import { FeatureCache } from './feature-cache';

const dir = mkdtempSync(join(tmpdir(), 'kelly-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clip = (f: number): Float32Array =>
  Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * f * i) / 16000));

describe('FeatureCache', () => {
  it('misses, stores, then hits with identical features; keyed by content and spec', () => {
    const cache = new FeatureCache(join(dir, 'a'));
    const x = clip(440);
    const first = cache.getOrCompute(x);
    expect(first.hit).toBe(false);
    const second = cache.getOrCompute(Float32Array.from(x)); // same content, different array
    expect(second.hit).toBe(true);
    expect(Buffer.from(second.features.data.buffer).equals(Buffer.from(logMel(x).data.buffer))).toBe(true);
    expect(cache.getOrCompute(clip(441)).hit).toBe(false); // other audio
    expect(cache.getOrCompute(x, { ...FEATURE_SPEC, log: 'power_to_db' }).hit).toBe(false); // other spec
    expect(cache.stats).toEqual({ hits: 1, misses: 3 });
    // A fresh cache object on the same folder sees the entries (it is on disk).
    expect(new FeatureCache(join(dir, 'a')).get(x)).not.toBeNull();
  });

  it('treats a corrupt entry as a miss and rewrites it', () => {
    const cache = new FeatureCache(join(dir, 'b'));
    const x = clip(220);
    cache.getOrCompute(x);
    const key = cache.key(x);
    writeFileSync(join(dir, 'b', key.slice(0, 2), `${key}.f32`), 'garbage');
    expect(cache.get(x)).toBeNull();
    expect(cache.getOrCompute(x).hit).toBe(false);
    expect(cache.getOrCompute(x).hit).toBe(true);
    expect(readdirSync(join(dir, 'b', key.slice(0, 2))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('extractLogMelParallel serves hits from the cache and computes only the misses', async () => {
    const cache = new FeatureCache(join(dir, 'c'));
    const clips = [clip(300), clip(500), clip(700)];
    cache.getOrCompute(clips[1]!);
    const before = cache.stats;
    const out = await extractLogMelParallel(clips, { cache });
    expect(cache.stats.hits - before.hits).toBe(1);
    expect(cache.stats.misses - before.misses).toBe(2);
    out.forEach((f, i) =>
      expect(Buffer.from(f.data.buffer).equals(Buffer.from(logMel(clips[i]!).data.buffer))).toBe(true),
    );
    expect(new FeatureCache(join(dir, 'c')).get(clips[2]!)).not.toBeNull();
  });
});
