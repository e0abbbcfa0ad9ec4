// Decoding real image bytes made here with sharp: formats, EXIF orientation, colour spaces,
// raw frames, and every kind of bad input with its typed error.
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, sniffFormat } from '../../core/face/decode';
import { FaceEngineError } from '../../core/face/errors';
import { pngBomb } from '../fixtures/engine/png-bomb';

const SAMPLE = readFileSync('node_modules/@vladmandic/face-api/demo/sample2.jpg');

async function expectCode(promise: Promise<unknown>, code: string): Promise<FaceEngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FaceEngineError);
  expect((error as FaceEngineError).code).toBe(code);
  return error as FaceEngineError;
}

describe('decodeImage: accepted inputs', () => {
  it('decodes JPEG, PNG and WebP to packed RGB of the right size', async () => {
    const small = await sharp(SAMPLE).resize({ width: 320 }).toBuffer();
    const { height } = await sharp(small).metadata();
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const bytes = await sharp(small).toFormat(format).toBuffer();
      expect(sniffFormat(bytes)).toBe(format);
      const image = await decodeImage({ kind: 'encoded', data: bytes });
      expect(image.width).toBe(320);
      expect(image.height).toBe(height);
      expect(image.data.length).toBe(320 * height! * 3);
    }
  });

  it('applies EXIF orientation (a 90 degree tag swaps width and height)', async () => {
    const upright = await sharp({
      create: { width: 60, height: 40, channels: 3, background: '#808080' },
    })
      .composite([
        {
          input: { create: { width: 10, height: 40, channels: 3, background: '#ff0000' } },
          left: 0,
          top: 0,
        },
      ])
      .jpeg()
      .toBuffer();
    const tagged = await sharp(upright).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const image = await decodeImage({ kind: 'encoded', data: tagged });
    expect([image.width, image.height]).toEqual([40, 60]);
    // Orientation 6 = rotate 90 clockwise: the red left column becomes the top rows.
    expect(image.data[0]).toBeGreaterThan(200);
    expect(image.data[1]).toBeLessThan(60);
    const last = (image.height - 1) * image.width * 3;
    expect(image.data[last]).toBeLessThan(160);
  });

  it('converts greyscale PNG and CMYK JPEG to RGB', async () => {
    const grey = await sharp(SAMPLE).resize({ width: 64 }).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const g = await decodeImage({ kind: 'encoded', data: grey });
    expect(g.data.length).toBe(g.width * g.height * 3);
    expect(g.data[0]).toBe(g.data[1]);

    const cmyk = await sharp({
      create: { width: 32, height: 32, channels: 3, background: '#2060c0' },
    })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const c = await decodeImage({ kind: 'encoded', data: cmyk });
    expect(c.data.length).toBe(32 * 32 * 3);
    // Still blue-ish after the round trip through CMYK.
    expect(c.data[2]!).toBeGreaterThan(c.data[0]! + 60);
  });

  it('flattens a PNG with alpha', async () => {
    const rgba = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const image = await decodeImage({ kind: 'encoded', data: rgba });
    expect(image.data.length).toBe(8 * 8 * 3);
  });

  it('takes raw RGBA frames and drops alpha', async () => {
    const data = new Uint8ClampedArray(2 * 1 * 4);
    data.set([1, 2, 3, 255, 4, 5, 6, 0]);
    const image = await decodeImage({ kind: 'rgba', data, width: 2, height: 1 });
    expect(Array.from(image.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('decodeImage: bad input gets a typed error', () => {
  it('empty buffer → empty_input', async () => {
    await expectCode(decodeImage({ kind: 'encoded', data: new Uint8Array(0) }), 'empty_input');
  });

  it('a text file → unsupported_format', async () => {
    await expectCode(
      decodeImage({ kind: 'encoded', data: readFileSync('package.json') }),
      'unsupported_format',
    );
  });

  it('a truncated JPEG → corrupt_image', async () => {
    const truncated = SAMPLE.subarray(0, Math.floor(SAMPLE.length / 2));
    await expectCode(decodeImage({ kind: 'encoded', data: truncated }), 'corrupt_image');
  });

  it('a JPEG with only its first bytes → corrupt_image', async () => {
    await expectCode(
      decodeImage({ kind: 'encoded', data: SAMPLE.subarray(0, 40) }),
      'corrupt_image',
    );
  });

  it('a 30,000 x 30,000 PNG is refused from its header, before decoding', async () => {
    const bomb = pngBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(100_000);
    const error = await expectCode(decodeImage({ kind: 'encoded', data: bomb }), 'image_too_large');
    expect(error.details).toMatchObject({ width: 30_000, height: 30_000 });
  });

  it('the pixel limit is configurable', async () => {
    const bytes = await sharp(SAMPLE).resize({ width: 200 }).png().toBuffer();
    await expectCode(decodeImage({ kind: 'encoded', data: bytes }, 10_000), 'image_too_large');
  });

  it('raw frames: wrong length, bad size, oversize, empty', async () => {
    await expectCode(
      decodeImage({ kind: 'rgba', data: new Uint8Array(10), width: 2, height: 2 }),
      'invalid_frame',
    );
    await expectCode(
      decodeImage({ kind: 'rgba', data: new Uint8Array(16), width: 2.5, height: 2 }),
      'invalid_frame',
    );
    await expectCode(
      decodeImage({ kind: 'rgba', data: new Uint8Array(16), width: 0, height: 4 }),
      'invalid_frame',
    );
    await expectCode(
      decodeImage({ kind: 'rgba', data: new Uint8Array(0), width: 2, height: 2 }),
      'empty_input',
    );
    await expectCode(
      decodeImage({ kind: 'rgba', data: new Uint8Array(16), width: 30_000, height: 30_000 }),
      'image_too_large',
    );
  });

  it('an input that is not an ImageInput → invalid_frame', async () => {
    await expectCode(decodeImage({ kind: 'bitmap' } as never), 'invalid_frame');
  });
});
