// Loads the four face-api networks from models/ (never from the network), after checking every
// file against models/manifest.json (SHA-256). A missing or altered file is a typed error that
// names the file, so an operator knows exactly what to restore (`npm run postinstall`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaceApi } from './backend';
import { FaceEngineError } from './errors';

export const DEFAULT_MODELS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'models',
);

/** The weight files' base names in models/, and the face-api net each one fills. */
export const NETS = {
  tinyFaceDetector: 'tiny_face_detector_model',
  ssdMobilenetv1: 'ssd_mobilenetv1_model',
  faceLandmark68Net: 'face_landmark_68_model',
  faceRecognitionNet: 'face_recognition_model',
} as const;

interface WeightGroup {
  paths: string[];
  weights: Parameters<FaceApi['tf']['io']['decodeWeights']>[1];
}

/** Reads one file and checks it against the manifest; throws model_missing / model_corrupt. */
export function readVerified(
  modelsDir: string,
  name: string,
  expected: Record<string, string>,
): Buffer {
  const want = expected[name];
  if (want === undefined) {
    throw new FaceEngineError('model_corrupt', `models/manifest.json has no SHA-256 for ${name}.`, {
      file: name,
    });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(modelsDir, name));
  } catch {
    throw new FaceEngineError('model_missing', `Model file ${name} is missing from ${modelsDir}.`, {
      file: name,
    });
  }
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want) {
    throw new FaceEngineError(
      'model_corrupt',
      `Model file ${name} does not match its SHA-256 in models/manifest.json (damaged or replaced).`,
      { file: name },
    );
  }
  return bytes;
}

export function readManifest(modelsDir: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(modelsDir, 'manifest.json'), 'utf8');
  } catch {
    throw new FaceEngineError(
      'model_missing',
      `models/manifest.json is missing from ${modelsDir}.`,
      {
        file: 'manifest.json',
      },
    );
  }
  try {
    const parsed = JSON.parse(text) as { files?: Record<string, string> };
    if (!parsed.files || typeof parsed.files !== 'object') throw new Error('no files');
    return parsed.files;
  } catch {
    throw new FaceEngineError(
      'model_corrupt',
      `models/manifest.json in ${modelsDir} cannot be parsed.`,
      {
        file: 'manifest.json',
      },
    );
  }
}

/** Verifies and loads all four nets into face-api's shared `nets`. */
export function loadModels(faceapi: FaceApi, modelsDir: string = DEFAULT_MODELS_DIR): void {
  const expected = readManifest(modelsDir);
  for (const [netKey, base] of Object.entries(NETS) as [keyof typeof NETS, string][]) {
    const net = faceapi.nets[netKey];
    if (net.isLoaded) continue;
    const manifestName = `${base}-weights_manifest.json`;
    let groups: WeightGroup[];
    try {
      groups = JSON.parse(
        readVerified(modelsDir, manifestName, expected).toString('utf8'),
      ) as WeightGroup[];
    } catch (error) {
      if (error instanceof FaceEngineError) throw error;
      throw new FaceEngineError('model_corrupt', `Model file ${manifestName} cannot be parsed.`, {
        file: manifestName,
      });
    }
    for (const group of groups) {
      const buffers = group.paths.map((p) => readVerified(modelsDir, p, expected));
      const joined = Buffer.concat(buffers);
      const data = joined.buffer.slice(
        joined.byteOffset,
        joined.byteOffset + joined.byteLength,
      ) as ArrayBuffer;
      try {
        net.loadFromWeightMap(faceapi.tf.io.decodeWeights(data, group.weights));
      } catch (error) {
        const file = group.paths.join(', ');
        throw new FaceEngineError(
          'model_corrupt',
          `Model file ${file} cannot be loaded into ${netKey}: ${(error as Error).message}`,
          { file },
        );
      }
    }
  }
}
