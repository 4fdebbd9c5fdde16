import { PNG } from 'pngjs';

/** An 8-bit RGBA raster, row-major from the top-left: `rgba.length === width * height * 4`. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
}

/** PNG bytes of an RGBA raster (pngjs, deflate level 6). */
export function encodePng(image: RgbaImage): Uint8Array {
  const { width, height, rgba } = image;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new Error(`encodePng: width and height must be positive integers, got ${width}×${height}`);
  if (rgba.length !== width * height * 4)
    throw new Error(
      `encodePng: rgba has ${rgba.length} bytes, expected ${width}×${height}×4 = ${width * height * 4}`,
    );
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return new Uint8Array(PNG.sync.write(png, { deflateLevel: 6 }));
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from PNG bytes' IHDR, or an error saying they are not a PNG. */
export function readPngHeader(data: Uint8Array): { width: number; height: number } {
  if (data.length < 24 || SIGNATURE.some((b, i) => data[i] !== b))
    throw new Error('image/png media: bytes do not start with the PNG signature');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
