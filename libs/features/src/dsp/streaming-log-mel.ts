import { FEATURE_SPEC, type FeatureSpec } from './feature-spec';
import { logOf, melOfPower, type FeatureMatrix } from './log-mel';
import { doubles } from './fft-tables';
import { melFilterbank, type MelFilterbank } from './mel-filterbank';
import { PowerSpectrum } from './stft';

/**
 * Frame-by-frame log-mel, as a real-time plugin sees audio: push blocks of any size, get every frame whose
 * window is complete. Frame t (centred on sample t·hop) is emitted once sample t·hop + nFft/2 − 1 has arrived;
 * `end()` zero-pads the tail and emits the rest. The concatenation of all outputs equals `logMel` of the
 * concatenated input exactly (same arithmetic, same order).
 */
export class StreamingLogMel {
  readonly spec: FeatureSpec;
  private readonly bank: MelFilterbank;
  private readonly ps: PowerSpectrum;
  private readonly mel: number[];
  /** Pending input; buf[i] is absolute sample `base + i` (base may be negative: the left zero padding). */
  private buf: Float64Array;
  private len = 0;
  private base: number;
  private nextFrame = 0;
  private total = 0;
  private ended = false;

  constructor(spec: FeatureSpec = FEATURE_SPEC) {
    this.spec = spec;
    this.bank = melFilterbank(spec);
    this.ps = new PowerSpectrum(spec);
    this.mel = doubles(spec.nMels);
    this.buf = new Float64Array(4 * spec.nFft);
    this.base = -spec.nFft / 2;
    this.len = spec.nFft / 2; // the leading zeros of centre padding
  }

  /** Samples pushed so far. */
  get samplesSeen(): number {
    return this.total;
  }

  /** Feeds a block (any length, 16 kHz mono); returns the frames completed by it, `[n][nMels]` float32. */
  push(block: ArrayLike<number>): FeatureMatrix {
    if (this.ended) throw new Error('StreamingLogMel: push() after end(); call reset() first');
    this.ensure(this.len + block.length);
    for (let i = 0; i < block.length; i++) this.buf[this.len + i] = block[i]!;
    this.len += block.length;
    this.total += block.length;
    return this.drain(false);
  }

  /** Ends the stream: emits the remaining frames (zero-padded), so the total is 1 + floor(n / hop). */
  end(): FeatureMatrix {
    this.ended = true;
    return this.drain(true);
  }

  reset(): void {
    this.base = -this.spec.nFft / 2;
    this.buf.fill(0);
    this.len = this.spec.nFft / 2;
    this.nextFrame = 0;
    this.total = 0;
    this.ended = false;
  }

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    const next = new Float64Array(Math.max(n, 2 * this.buf.length));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private drain(final: boolean): FeatureMatrix {
    const { hop, nFft, nMels } = this.spec;
    const half = nFft / 2;
    const lastFrame = final ? Math.floor(this.total / hop) : Infinity;
    const out: number[] = [];
    let frames = 0;
    for (;;) {
      const t = this.nextFrame;
      if (t > lastFrame) break;
      const first = t * hop - half; // absolute index of the window's first sample
      const need = first + nFft - this.base; // samples of buf the window needs
      if (!final && need > this.len) break;
      // Window over buf (virtual zeros beyond len, i.e. past the end of the signal).
      const view = this.buf.subarray(0, this.len);
      melOfPower(this.bank, this.ps.frameAt(view, first + half - this.base), this.mel);
      for (let m = 0; m < nMels; m++) out.push(logOf(this.mel[m]!, this.spec));
      frames++;
      this.nextFrame++;
    }
    this.compact();
    return { frames, bands: nMels, data: Float32Array.from(out) };
  }

  /** Drops samples no future frame needs. */
  private compact(): void {
    const keepFrom = this.nextFrame * this.spec.hop - this.spec.nFft / 2; // absolute
    const drop = keepFrom - this.base;
    if (drop <= 0 || drop < this.spec.nFft) return;
    const d = Math.min(drop, this.len);
    this.buf.copyWithin(0, d, this.len);
    this.len -= d;
    this.base += d;
  }
}
