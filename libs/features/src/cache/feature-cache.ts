import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_SPEC, specKey, type FeatureSpec } from '../dsp/feature-spec';
import { logMel, type FeatureMatrix } from '../dsp/log-mel';

/**
 * Log-mel features on disk, keyed by SHA-256 of the audio samples (float32 bytes) and of the feature spec:
 * `<dir>/<key[0:2]>/<key>.f32`, an 8-byte header (uint32 frames, uint32 bands, little-endian) then the
 * float32 data. Writes are atomic (temp file + rename); an unreadable or mismatched entry is a miss and is
 * rewritten.
 */
export class FeatureCache {
  private hitCount = 0;
  private missCount = 0;

  constructor(readonly dir: string) {}

  get stats(): { hits: number; misses: number } {
    return { hits: this.hitCount, misses: this.missCount };
  }

  /** Cache key for these samples under this spec. */
  key(samples: Float32Array, spec: FeatureSpec = FEATURE_SPEC): string {
    const h = createHash('sha256');
    h.update(specKey(spec));
    h.update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    return h.digest('hex');
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.f32`);
  }

  /** The cached features, or null (counted as a miss). */
  get(samples: Float32Array, spec: FeatureSpec = FEATURE_SPEC): FeatureMatrix | null {
    const expectFrames = 1 + Math.floor(samples.length / spec.hop);
    try {
      const buf = readFileSync(this.path(this.key(samples, spec)));
      const frames = buf.readUInt32LE(0);
      const bands = buf.readUInt32LE(4);
      if (frames !== expectFrames || bands !== spec.nMels || buf.length !== 8 + 4 * frames * bands)
        throw new Error('mismatched entry');
      const data = new Float32Array(frames * bands);
      new Uint8Array(data.buffer).set(buf.subarray(8));
      this.hitCount++;
      return { frames, bands, data };
    } catch {
      this.missCount++;
      return null;
    }
  }

  put(samples: Float32Array, features: FeatureMatrix, spec: FeatureSpec = FEATURE_SPEC): void {
    const path = this.path(this.key(samples, spec));
    mkdirSync(join(path, '..'), { recursive: true });
    const header = Buffer.alloc(8);
    header.writeUInt32LE(features.frames, 0);
    header.writeUInt32LE(features.bands, 4);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(
      tmp,
      Buffer.concat([
        header,
        Buffer.from(features.data.buffer, features.data.byteOffset, features.data.byteLength),
      ]),
    );
    renameSync(tmp, path);
  }

  /** Cached features, computing and storing them on a miss. */
  getOrCompute(
    samples: Float32Array,
    spec: FeatureSpec = FEATURE_SPEC,
  ): { features: FeatureMatrix; hit: boolean } {
    const cached = this.get(samples, spec);
    if (cached) return { features: cached, hit: true };
    const features = logMel(samples, spec);
    this.put(samples, features, spec);
    return { features, hit: false };
  }
}
