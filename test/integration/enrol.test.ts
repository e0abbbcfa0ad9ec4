// Bulk enrolment from pre-registration photos, with the real face engine and matcher.
// Photos are cut at test time (sharp) from the face-api demo samples: tight ID-style crops
// where the face fills the frame, which the plain detector mostly misses.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, type FaceEngine } from '../../core/face/engine';
import { createMatcher, type FaceMatcher } from '../../core/face/matcher';
import { analysePhoto, enrolPhotos, type PhotoResult } from '../../core/import/photo-enrol';
import { importRoster } from '../../core/import/roster-import';
import { guestIdForRegistration } from '../../core/protocol/roster';
import {
  bindGallery,
  countTemplates,
  listTemplates,
  openStore,
  outboxSize,
  setEvent,
  type Store,
} from '../../core/store';

const SAMPLES = 'node_modules/@vladmandic/face-api/demo';

/** Face boxes in the demo samples (found once with the ssd detector on the full photos). */
type Face = { sample: number; x: number; y: number; width: number; height: number };
const face = (sample: number, x: number, y: number, width: number, height: number): Face => ({
  sample,
  x,
  y,
  width,
  height,
});
const A = face(3, 585, 329, 199, 271);
const B = face(6, 1180, 305, 188, 280);
const C = face(5, 1113, 198, 158, 236);
/** Every face in the samples; the rate test keeps those that enrol from a normal portrait. */
const ALL_FACES: Face[] = [
  face(1, 414, 355, 177, 240),
  face(1, 838, 421, 186, 228),
  face(1, 1476, 199, 203, 241),
  face(2, 1447, 153, 194, 242),
  face(2, 902, 220, 151, 233),
  face(2, 361, 126, 153, 259),
  A,
  face(3, 1514, 292, 170, 280),
  face(3, 1075, 215, 220, 299),
  face(4, 664, 53, 187, 258),
  face(4, 257, 185, 162, 245),
  face(4, 989, 180, 169, 227),
  face(4, 1277, 144, 145, 244),
  face(5, 787, 109, 156, 212),
  C,
  face(5, 1406, 390, 165, 271),
  face(5, 598, 415, 166, 249),
  face(5, 377, 859, 172, 301),
  face(6, 681, 321, 160, 307),
  B,
  face(6, 1487, 263, 212, 296),
  face(6, 250, 468, 210, 291),
];

const sampleCache = new Map<number, Promise<Buffer>>();
function sampleBytes(n: number): Promise<Buffer> {
  let bytes = sampleCache.get(n);
  if (!bytes) {
    bytes = readFile(path.join(SAMPLES, `sample${n}.jpg`));
    sampleCache.set(n, bytes);
  }
  return bytes;
}

/**
 * A crop centred on the face: height = k × face box height (k = 1 is the box itself), width =
 * aspect × height, resized to `size` pixels high, saved as JPEG.
 */
async function cut(f: Face, k: number, aspect: number, size: number, shift = 0): Promise<Buffer> {
  const image = sharp(await sampleBytes(f.sample));
  const meta = await image.metadata();
  const height = Math.round(f.height * k);
  const width = Math.round(height * aspect);
  const left = Math.max(0, Math.round(f.x + f.width / 2 - width / 2 + shift * f.width));
  const top = Math.max(0, Math.round(f.y + f.height / 2 - height / 2));
  return sharp(await sampleBytes(f.sample))
    .extract({
      left,
      top,
      width: Math.min(width, meta.width! - left),
      height: Math.min(height, meta.height! - top),
    })
    .resize({ height: size })
    .jpeg({ quality: 90 })
    .toBuffer();
}

let engine: FaceEngine;
beforeAll(async () => {
  engine = await createFaceEngine({ workers: 2 });
});
afterAll(async () => {
  await engine?.close();
});

describe('tight ID-style crops', () => {
  it(
    'at least 99% enrol (padding finds the face the plain detector misses)',
    { timeout: 900_000 },
    async () => {
      // ID-quality faces: in a normal portrait crop (2 × the face box) the engine finds one face
      // that is frontal (|yaw|, |pitch|, |roll| ≤ 20°, as ID photos are) and in focus (twice the
      // engine's sharpness floor). Faces turned away in the group photos are not ID photos.
      const idQuality = { maxYawDeg: 20, maxPitchDeg: 20, maxRollDeg: 20, minSharpness: 120 };
      const portraits = await Promise.all(
        ALL_FACES.map(async (f) => {
          const r = await engine.detect(
            { kind: 'encoded', data: await cut(f, 2, 0.8, 480) },
            { padToFindTightCrop: true, quality: idQuality },
          );
          return r.faces.length === 1 && r.faces[0]!.quality.acceptable;
        }),
      );
      const faces = ALL_FACES.filter((_, i) => portraits[i]);
      expect(faces.length).toBeGreaterThanOrEqual(6);

      // Their tight crops: the face box fills 77–100% of the height; 3:4, 4:5 (shifted left and
      // right) and square; 240 to 400 pixels high.
      const variants: [number, number, number, number][] = [];
      for (const k of [1.0, 1.1, 1.2, 1.3]) {
        variants.push(
          [k, 0.75, 240, 0],
          [k, 1.0, 400, 0],
          [k, 0.8, 320, -0.05],
          [k, 0.8, 320, 0.05],
        );
      }
      let enrolled = 0;
      let plainFound = 0;
      const failures: string[] = [];
      for (const f of faces) {
        const crops = await Promise.all(
          variants.map(([k, aspect, size, shift]) => cut(f, k, aspect, size, shift)),
        );
        const analyses = await Promise.all(crops.map((bytes) => analysePhoto(engine, bytes)));
        const plain = await Promise.all(
          crops.map((bytes) => engine.detect({ kind: 'encoded', data: bytes })),
        );
        analyses.forEach((a, i) => {
          if (a.kind === 'face') enrolled++;
          else failures.push(`sample${f.sample}@${f.x} k=${variants[i]![0]}: ${JSON.stringify(a)}`);
          if (plain[i]!.faces.length === 1) plainFound++;
        });
      }
      const total = faces.length * variants.length;
      console.log(
        `tight crops: ${enrolled}/${total} enrol (${((100 * enrolled) / total).toFixed(1)}%); the plain detector finds ${plainFound}/${total}; failures: ${failures.join('; ') || 'none'}`,
      );
      expect(enrolled / total).toBeGreaterThanOrEqual(0.99);
    },
  );
});

describe('enrolPhotos', () => {
  let dir: string;
  let store: Store;
  let gallery: FaceMatcher;
  let photos: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'enrol-'));
    store = openStore(path.join(dir, 'data'));
    setEvent(store, { id: 'expo', name: 'Expo', entrances: [{ id: 'north', name: 'North Gate' }] });
    importRoster(
      store,
      [
        'id,name,consent',
        'R1,王小明,yes',
        'R2,محمد الأحمد,yes',
        'R3,Zoë Müller,yes',
        'R4,Group Photo,yes',
        'R5,Grey Wall,yes',
        'R6,Blurry Photo,yes',
        'R7,Not An Image,yes',
        'R8,No Consent,no',
      ].join('\n'),
    );
    gallery = createMatcher();
    bindGallery(store, gallery);
    photos = path.join(dir, 'photos');
    mkdirSync(photos);
    writeFileSync(path.join(photos, 'R1.jpg'), await cut(A, 1.15, 0.75, 320));
    writeFileSync(path.join(photos, 'R2.jpg'), await cut(B, 1.15, 0.75, 320));
    writeFileSync(path.join(photos, 'R3.jpg'), await cut(A, 1.3, 1, 400)); // same person as R1
    writeFileSync(path.join(photos, 'R404.jpg'), await cut(C, 1.15, 0.75, 320));
    writeFileSync(
      path.join(photos, 'R4.jpg'),
      await sharp(await sampleBytes(3))
        .resize({ width: 960 })
        .jpeg()
        .toBuffer(),
    );
    writeFileSync(
      path.join(photos, 'R5.png'),
      await sharp({ create: { width: 300, height: 400, channels: 3, background: '#808080' } })
        .png()
        .toBuffer(),
    );
    writeFileSync(
      path.join(photos, 'R6.jpg'),
      await sharp(await cut(C, 1.3, 0.75, 400))
        .blur(3)
        .toBuffer(),
    );
    writeFileSync(path.join(photos, 'R7.jpg'), 'this is not a photo');
    writeFileSync(path.join(photos, 'R8.jpg'), await cut(C, 1.2, 0.75, 320));
    writeFileSync(path.join(photos, 'notes.txt'), 'ignored');
    writeFileSync(path.join(photos, '.DS_Store'), 'ignored');
  });
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every photo a result and enrols only the good ones', { timeout: 600_000 }, async () => {
    const progress: number[] = [];
    const report = await enrolPhotos(store, photos, {
      engine,
      gallery,
      onResult: (_r, done, total) => progress.push(done / total),
    });
    const byFile = new Map(report.results.map((r) => [r.file, r]));
    const status = (file: string) => byFile.get(file)?.status;
    expect([...byFile.keys()].sort()).toEqual(
      [
        'R1.jpg',
        'R2.jpg',
        'R3.jpg',
        'R4.jpg',
        'R404.jpg',
        'R5.png',
        'R6.jpg',
        'R7.jpg',
        'R8.jpg',
      ].sort(),
    );
    expect(progress.at(-1)).toBe(1);
    expect(status('R1.jpg')).toBe('enrolled');
    expect(status('R2.jpg')).toBe('enrolled');
    const lookalike = byFile.get('R3.jpg') as Extract<PhotoResult, { status: 'lookalike' }>;
    expect(lookalike.status).toBe('lookalike');
    expect(lookalike.guest.name).toBe('Zoë Müller');
    expect(lookalike.other).toMatchObject({ registrationId: 'R1', name: '王小明' });
    expect(status('R404.jpg')).toBe('unknown_guest');
    expect(byFile.get('R4.jpg')).toMatchObject({ status: 'several_faces', count: 3 });
    expect(status('R5.png')).toBe('no_face');
    const blurry = byFile.get('R6.jpg') as Extract<PhotoResult, { status: 'low_quality' }>;
    expect(blurry.status).toBe('low_quality');
    expect(blurry.reasons).toContain('blurry');
    expect(status('R7.jpg')).toBe('unreadable');
    expect(status('R8.jpg')).toBe('consent_withdrawn');
    expect(report.counts).toMatchObject({ enrolled: 2, lookalike: 1, unknown_guest: 1 });

    expect(countTemplates(store)).toBe(2);
    expect(gallery.guestCount).toBe(2);
    const [template] = listTemplates(store, guestIdForRegistration('R1'));
    expect(template).toMatchObject({
      source: 'preregistration',
      photoSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it(
    'a re-run skips photos already enrolled with the same file hash',
    { timeout: 600_000 },
    async () => {
      const outbox = outboxSize(store);
      const report = await enrolPhotos(store, photos, { engine, gallery });
      expect(report.counts.enrolled).toBe(0);
      expect(report.counts.already_enrolled).toBe(2);
      expect(countTemplates(store)).toBe(2);
      expect(outboxSize(store)).toBe(outbox);
    },
  );

  it(
    'a new photo of an enrolled guest replaces their earlier one',
    { timeout: 600_000 },
    async () => {
      const before = listTemplates(store, guestIdForRegistration('R2'));
      writeFileSync(path.join(photos, 'R2.jpg'), await cut(B, 1.25, 1, 360));
      const report = await enrolPhotos(store, photos, { engine, gallery });
      expect(report.results.find((r) => r.file === 'R2.jpg')).toMatchObject({
        status: 'enrolled',
        replaced: 1,
      });
      const after = listTemplates(store, guestIdForRegistration('R2'));
      expect(after).toHaveLength(1);
      expect(after[0]!.id).not.toBe(before[0]!.id);
      expect(gallery.descriptorCount(guestIdForRegistration('R2'))).toBe(1);
    },
  );
});
