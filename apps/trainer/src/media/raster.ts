import type { RgbaImage } from '@kelly/tracking';

/** An RGB colour, 0…255 per channel. */
export type Rgb = readonly [number, number, number];

/** `#rrggbb` → Rgb. */
export function hex(colour: string): Rgb {
  const n = Number.parseInt(colour.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A small opaque RGBA canvas for the trainer's media images (rectangles and lines; no text). */
export class Raster {
  readonly rgba: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.rgba = new Uint8Array(width * height * 4);
    this.fill(0, 0, width, height, background);
  }

  /** Fills the rectangle [x, x+w) × [y, y+h), clipped to the canvas; y grows downwards. */
  fill(x: number, y: number, w: number, h: number, c: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++)
      for (let px = x0; px < x1; px++) this.rgba.set([c[0], c[1], c[2], 255], (py * this.width + px) * 4);
  }

  /** A line `thickness` px wide from (x0, y0) to (x1, y1). */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = thickness / 2;
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      this.fill(x0 + (x1 - x0) * t - half, y0 + (y1 - y0) * t - half, thickness, thickness, c);
    }
  }

  image(): RgbaImage {
    return { width: this.width, height: this.height, rgba: this.rgba };
  }
}

const MAGMA: Rgb[] = [
  [0, 0, 4],
  [81, 18, 124],
  [183, 55, 121],
  [252, 137, 97],
  [252, 253, 191],
];

/** A magma-like colour for t in 0…1 (clamped; NaN → black). */
export function magma(t: number): Rgb {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) * (MAGMA.length - 1) : 0;
  const i = Math.min(MAGMA.length - 2, Math.floor(x));
  const f = x - i;
  const a = MAGMA[i]!;
  const b = MAGMA[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f].map(
    Math.round,
  ) as unknown as Rgb;
}
