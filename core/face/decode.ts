// Turns an ImageInput into tightly packed RGB bytes, refusing bad input with a typed error.
// Encoded images are sized from their header BEFORE any pixel is decoded, so a 30,000 x 30,000
// PNG bomb costs a header read, not gigabytes. EXIF orientation is applied; greyscale, CMYK and
// alpha are converted to plain sRGB.
import sharp from 'sharp';
import { FaceEngineError } from './errors';
import type { ImageInput } from './types';

export interface RgbImage {
  /** width * height * 3 bytes, row-major RGB. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** 36 megapixels: above any kiosk camera or ID scan, well below what would exhaust memory. */
export const DEFAULT_MAX_PIXELS = 36_000_000;

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** Recognises the three accepted formats by their magic bytes. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  if (
    bytes.length >= 8 &&
    bytes[0] === 0x89 &&
    bytes[1] === 0x50 &&
    bytes[2] === 0x4e &&
    bytes[3] === 0x47 &&
    bytes[4] === 0x0d &&
    bytes[5] === 0x0a &&
    bytes[6] === 0x1a &&
    bytes[7] === 0x0a
  )
    return 'png';
  if (
    bytes.length >= 12 &&
    String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) === 'RIFF' &&
    String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!) === 'WEBP'
  )
    return 'webp';
  return null;
}

export async function decodeImage(
  input: ImageInput,
  maxPixels: number = DEFAULT_MAX_PIXELS,
): Promise<RgbImage> {
  if (!input || typeof input !== 'object' || !('kind' in input)) {
    throw new FaceEngineError(
      'invalid_frame',
      'Image input must be { kind: "encoded" | "rgba", ... }.',
    );
  }
  if (input.kind === 'rgba') return rgbaToRgb(input, maxPixels);
  if (input.kind === 'encoded') return decodeEncoded(input.data, maxPixels);
  throw new FaceEngineError(
    'invalid_frame',
    `Unknown image input kind "${String((input as { kind: unknown }).kind)}".`,
  );
}

async function decodeEncoded(data: Uint8Array, maxPixels: number): Promise<RgbImage> {
  if (!(data instanceof Uint8Array) || data.length === 0) {
    throw new FaceEngineError('empty_input', 'The image buffer is empty.');
  }
  const format = sniffFormat(data);
  if (!format) {
    throw new FaceEngineError(
      'unsupported_format',
      'The bytes are not a JPEG, PNG or WebP image.',
      {
        bytes: data.length,
      },
    );
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let meta: sharp.Metadata;
  try {
    // Header only: libvips does not decode pixels for metadata().
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new FaceEngineError(
      'corrupt_image',
      `The ${format} image cannot be read: ${(error as Error).message}`,
      {
        format,
      },
    );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) {
    throw new FaceEngineError('corrupt_image', `The ${format} image has no valid size.`, {
      format,
    });
  }
  if (width * height > maxPixels) {
    throw new FaceEngineError(
      'image_too_large',
      `The image is ${width} x ${height} (${width * height} pixels); the limit is ${maxPixels} pixels.`,
      { width, height, maxPixels },
    );
  }
  try {
    const { data: raw, info } = await sharp(bytes, {
      limitInputPixels: maxPixels,
      failOn: 'truncated',
    })
      .rotate() // honour EXIF orientation
      .toColourspace('srgb') // greyscale and CMYK become RGB
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      data: toRgb(raw, info.width, info.height, info.channels),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw new FaceEngineError(
      'corrupt_image',
      `The ${format} image cannot be decoded: ${(error as Error).message}`,
      {
        format,
      },
    );
  }
}

function toRgb(raw: Buffer, width: number, height: number, channels: number): Uint8Array {
  const pixels = width * height;
  if (channels === 3) return new Uint8Array(raw.buffer, raw.byteOffset, pixels * 3);
  const out = new Uint8Array(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    const s = i * channels;
    const r = raw[s]!;
    out[i * 3] = r;
    out[i * 3 + 1] = channels >= 3 ? raw[s + 1]! : r;
    out[i * 3 + 2] = channels >= 3 ? raw[s + 2]! : r;
  }
  return out;
}

function rgbaToRgb(
  input: { data: Uint8Array | Uint8ClampedArray; width: number; height: number },
  maxPixels: number,
): RgbImage {
  const { data, width, height } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new FaceEngineError(
      'invalid_frame',
      `Frame size ${width} x ${height} is not a positive whole size.`,
    );
  }
  if (width * height > maxPixels) {
    throw new FaceEngineError(
      'image_too_large',
      `The frame is ${width} x ${height} (${width * height} pixels); the limit is ${maxPixels} pixels.`,
      { width, height, maxPixels },
    );
  }
  if (!data || data.length === 0)
    throw new FaceEngineError('empty_input', 'The frame buffer is empty.');
  if (data.length !== width * height * 4) {
    throw new FaceEngineError(
      'invalid_frame',
      `An RGBA frame of ${width} x ${height} needs ${width * height * 4} bytes, got ${data.length}.`,
      { width, height, bytes: data.length },
    );
  }
  const pixels = width * height;
  const out = new Uint8Array(pixels * 3);
  for (let i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3) {
    out[d] = data[s]!;
    out[d + 1] = data[s + 1]!;
    out[d + 2] = data[s + 2]!;
  }
  return { data: out, width, height };
}
