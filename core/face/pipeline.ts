// The face pipeline of one thread: decode → detect → 68 landmarks → aligned 128-d descriptor →
// quality. Every tensor it makes is disposed before it returns (tf.memory() stays flat).
// engine.ts runs this inside worker threads; scripts that already run off the UI thread may
// use it directly.
import type { BackendName, FaceApi, LoadedBackend, Tf } from './backend';
import { loadBackend } from './backend';
import { decodeImage, DEFAULT_MAX_PIXELS } from './decode';
import type { RgbImage } from './decode';
import { FaceEngineError } from './errors';
import { DEFAULT_MODELS_DIR, loadModels } from './models';
import type { QualityThresholds } from './quality';
import { assessQuality, measureFacePixels, resolveThresholds } from './quality';
import type { Box, DetectedFace, DetectionResult, ImageInput } from './types';

export type DetectorName = 'tiny' | 'ssd';

export interface PipelineOptions {
  backend?: BackendName;
  modelsDir?: string;
  /** Detector used when a call does not choose one. Default 'tiny'. */
  detector?: DetectorName;
  /** Tiny detector input side (a multiple of 32). Default 320: faces at kiosk distance stay large. */
  detectorInputSize?: number;
  /** Largest accepted image, in pixels; larger inputs are refused before decoding. */
  maxPixels?: number;
  /** Quality thresholds for every call (merged over DEFAULT_QUALITY_THRESHOLDS). */
  quality?: Partial<QualityThresholds>;
}

export interface DetectOptions {
  detector?: DetectorName;
  detectorInputSize?: number;
  /** Lowest detector score kept. Default 0.5. */
  minScore?: number;
  /**
   * For tight ID-style crops where the face fills the frame: when the plain pass finds nothing,
   * retry on the image padded with a neutral grey border (see tightCropAttempts), so the face
   * has the size detectors were trained on. Boxes and landmarks stay in input coordinates.
   * Costs extra passes only when the plain pass finds nothing.
   */
  padToFindTightCrop?: boolean;
  /**
   * Face boxes from a recent frame of the same camera (the previous result's faces). Each is
   * searched for only in a window around it, which is much cheaper than the whole frame; if any
   * is not found again the whole frame is searched. Re-send without `track` now and then so new
   * faces are noticed.
   */
  track?: Box[];
  /** Skip the 128-d descriptor (quality preview only). Descriptors are empty Float32Arrays then. */
  skipDescriptors?: boolean;
  quality?: Partial<QualityThresholds>;
}

/** Border added on each side, as a share of the longer image side, tried in this order. */
export const TIGHT_CROP_PAD_RATIOS = [0.25, 0.5, 1] as const;
/**
 * Then, if still nothing, the first two borders again with a finer detector input and a lower
 * score floor: the caller said the image is one tight face, so a weak hit is that face.
 */
export const TIGHT_CROP_FALLBACK = { inputSize: 416, minScore: 0.3 } as const;

export interface DetectionPass {
  padRatio: number;
  inputSize: number;
  minScore: number;
  detector?: DetectorName;
}

/** The detection passes padToFindTightCrop makes after the plain one, cheapest first. */
export function tightCropAttempts(inputSize: number, minScore: number): DetectionPass[] {
  const attempts: DetectionPass[] = TIGHT_CROP_PAD_RATIOS.map((padRatio) => ({
    padRatio,
    inputSize,
    minScore,
  }));
  for (const padRatio of TIGHT_CROP_PAD_RATIOS.slice(0, 2)) {
    attempts.push({
      padRatio,
      inputSize: Math.max(inputSize, TIGHT_CROP_FALLBACK.inputSize),
      minScore: Math.min(minScore, TIGHT_CROP_FALLBACK.minScore),
    });
  }
  // Last resort, for faces turned too far for the tiny detector: SSD on the padded image.
  for (const padRatio of TIGHT_CROP_PAD_RATIOS.slice(0, 2)) {
    attempts.push({ padRatio, inputSize, minScore: TIGHT_CROP_FALLBACK.minScore, detector: 'ssd' });
  }
  return attempts;
}
const PAD_VALUE = 128;
export const DEFAULT_DETECTOR_INPUT_SIZE = 320;
/** Tracking window side, in face-box sizes, and the tiny-detector input used inside it. */
export const TRACK_WINDOW = 2;
export const TRACK_INPUT_SIZE = 128;
const MAX_TRACKED_FACES = 4;

export interface MemoryReport {
  numTensors: number;
  numBytes: number;
  rssBytes: number;
}

interface RawFace {
  box: Box;
  score: number;
}

export class FacePipeline {
  private constructor(
    private readonly loaded: LoadedBackend,
    private readonly options: Required<
      Omit<PipelineOptions, 'backend' | 'modelsDir' | 'quality'>
    > & {
      quality: QualityThresholds;
    },
  ) {}

  static async create(options: PipelineOptions = {}): Promise<FacePipeline> {
    const inputSize = options.detectorInputSize ?? DEFAULT_DETECTOR_INPUT_SIZE;
    validateInputSize(inputSize);
    const loaded = await loadBackend(options.backend);
    loadModels(loaded.faceapi, options.modelsDir ?? DEFAULT_MODELS_DIR);
    await warmUp(loaded, inputSize);
    return new FacePipeline(loaded, {
      detector: options.detector ?? 'tiny',
      detectorInputSize: inputSize,
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
      quality: resolveThresholds(options.quality),
    });
  }

  get backend(): BackendName {
    return this.loaded.backend;
  }

  memory(): MemoryReport {
    const m = this.loaded.runtime.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, rssBytes: process.memoryUsage().rss };
  }

  async detect(input: ImageInput, opts: DetectOptions = {}): Promise<DetectionResult> {
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    const image = await decodeImage(input, this.options.maxPixels);
    timings.decode = performance.now() - t0;
    const faces = await this.detectDecoded(image, opts, timings);
    timings.total = performance.now() - t0;
    return { width: image.width, height: image.height, faces, timings };
  }

  /** Enrolment: exactly one face, or no_face / several_faces. */
  async describeSingleFace(
    input: ImageInput,
    opts: DetectOptions = {},
  ): Promise<DetectionResult & { face: DetectedFace }> {
    const result = await this.detect(input, opts);
    if (result.faces.length === 0) {
      throw new FaceEngineError('no_face', 'No face was found in the image.', {
        width: result.width,
        height: result.height,
      });
    }
    if (result.faces.length > 1) {
      throw new FaceEngineError(
        'several_faces',
        `${result.faces.length} faces were found; exactly one is needed.`,
        {
          faces: result.faces.length,
        },
      );
    }
    return { ...result, face: result.faces[0]! };
  }

  private async detectDecoded(
    image: RgbImage,
    opts: DetectOptions,
    timings: Record<string, number>,
  ): Promise<DetectedFace[]> {
    const { tf, faceapi } = this.loaded;
    const detector = opts.detector ?? this.options.detector;
    const inputSize = opts.detectorInputSize ?? this.options.detectorInputSize;
    validateInputSize(inputSize);
    const minScore = opts.minScore ?? 0.5;
    const thresholds = resolveThresholds(this.options.quality, opts.quality);

    let t = performance.now();
    const tensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    timings.tensor = performance.now() - t;
    try {
      t = performance.now();
      let found =
        (opts.track?.length ? await this.relocate(tensor, opts.track, minScore) : null) ?? [];
      if (found.length === 0) found = await this.locate(tensor, detector, inputSize, minScore, 0);
      let pad = 0;
      if (found.length === 0 && opts.padToFindTightCrop) {
        for (const attempt of tightCropAttempts(inputSize, minScore)) {
          pad = Math.round(attempt.padRatio * Math.max(image.width, image.height));
          found = await this.locate(
            tensor,
            attempt.detector ?? detector,
            attempt.inputSize,
            attempt.minScore,
            pad,
          );
          if (found.length > 0) break;
        }
        if (found.length === 0) pad = 0;
      }
      timings.detect = performance.now() - t;
      const faces: DetectedFace[] = [];
      timings.landmarks = 0;
      timings.descriptor = 0;
      timings.quality = 0;
      const source = pad > 0 ? padTensor(tf, tensor, pad) : tensor;
      try {
        for (const raw of found) {
          faces.push(
            await this.describe(faceapi, source, raw, pad, image, thresholds, opts, timings),
          );
        }
      } finally {
        if (source !== tensor) source.dispose();
      }
      return faces;
    } finally {
      tensor.dispose();
    }
  }

  /**
   * Tracking: look for each previous face only in a window around its box, with a small tiny-
   * detector input. Null when any tracked face is not found again (the caller then detects on
   * the whole frame, which also catches newcomers).
   */
  private async relocate(
    tensor: ReturnType<Tf['tensor3d']>,
    track: Box[],
    minScore: number,
  ): Promise<RawFace[] | null> {
    const { tf } = this.loaded;
    const [height, width] = tensor.shape;
    const found: RawFace[] = [];
    for (const box of track.slice(0, MAX_TRACKED_FACES)) {
      const side = Math.max(box.width, box.height) * TRACK_WINDOW;
      const x0 = clampInt(box.x + box.width / 2 - side / 2, 0, width - 1);
      const y0 = clampInt(box.y + box.height / 2 - side / 2, 0, height - 1);
      const x1 = clampInt(box.x + box.width / 2 + side / 2, x0 + 1, width);
      const y1 = clampInt(box.y + box.height / 2 + side / 2, y0 + 1, height);
      if (x1 - x0 < 32 || y1 - y0 < 32) return null;
      const window = tf.slice3d(tensor, [y0, x0, 0], [y1 - y0, x1 - x0, 3]);
      let hits: RawFace[];
      try {
        hits = await this.locate(window, 'tiny', TRACK_INPUT_SIZE, minScore, 0);
      } finally {
        window.dispose();
      }
      const best = hits.reduce<RawFace | null>((b, h) => (!b || h.score > b.score ? h : b), null);
      if (!best) return null;
      found.push({
        box: { ...best.box, x: best.box.x + x0, y: best.box.y + y0 },
        score: best.score,
      });
    }
    return found;
  }

  /** Boxes in the coordinates of the image padded by `pad` on every side. */
  private async locate(
    tensor: ReturnType<Tf['tensor3d']>,
    detector: DetectorName,
    inputSize: number,
    minScore: number,
    pad: number,
  ): Promise<RawFace[]> {
    const { tf, faceapi } = this.loaded;
    const padded = pad > 0 ? padTensor(tf, tensor, pad) : tensor;
    // Shrink to the tiny detector's input here, once: face-api would otherwise pad the full
    // frame to a square and resize that, which costs as much as the detector itself at 224.
    const [height, width] = padded.shape;
    const shrink = detector === 'tiny' ? Math.min(1, inputSize / Math.max(width, height)) : 1;
    const source =
      shrink < 1
        ? (tf.image.resizeBilinear(padded, [
            Math.max(1, Math.round(height * shrink)),
            Math.max(1, Math.round(width * shrink)),
          ]) as ReturnType<Tf['tensor3d']>)
        : padded;
    const scaleX = shrink < 1 ? width / source.shape[1] : 1;
    const scaleY = shrink < 1 ? height / source.shape[0] : 1;
    try {
      const detections =
        detector === 'ssd'
          ? await faceapi.nets.ssdMobilenetv1.locateFaces(
              source,
              new faceapi.SsdMobilenetv1Options({ minConfidence: minScore }),
            )
          : await faceapi.nets.tinyFaceDetector.locateFaces(
              source,
              new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore }),
            );
      return detections.map((d) => ({
        box: {
          x: d.box.x * scaleX,
          y: d.box.y * scaleY,
          width: d.box.width * scaleX,
          height: d.box.height * scaleY,
        },
        score: d.score,
      }));
    } finally {
      if (source !== padded) source.dispose();
      if (padded !== tensor) padded.dispose();
    }
  }

  private async describe(
    faceapi: FaceApi,
    source: ReturnType<Tf['tensor3d']>,
    raw: RawFace,
    pad: number,
    image: RgbImage,
    thresholds: QualityThresholds,
    opts: DetectOptions,
    timings: Record<string, number>,
  ): Promise<DetectedFace> {
    let t = performance.now();
    const [sourceHeight, sourceWidth] = source.shape;
    const rect = new faceapi.Rect(
      raw.box.x,
      raw.box.y,
      raw.box.width,
      raw.box.height,
    ).clipAtImageBorders(sourceWidth, sourceHeight);
    const [crop] = await faceapi.extractFaceTensors(source, [rect]);
    let landmarks: InstanceType<FaceApi['FaceLandmarks68']>;
    try {
      const local = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crop!)) as InstanceType<
        FaceApi['FaceLandmarks68']
      >;
      landmarks = local.shiftBy(rect.x, rect.y) as InstanceType<FaceApi['FaceLandmarks68']>;
    } finally {
      crop?.dispose();
    }
    timings.landmarks! += performance.now() - t;

    t = performance.now();
    let descriptor: Float32Array = new Float32Array(0);
    if (!opts.skipDescriptors) {
      const aligned = landmarks.align(null, { useDlibAlignment: true });
      const [alignedCrop] = await faceapi.extractFaceTensors(source, [aligned]);
      try {
        descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          alignedCrop!,
        )) as Float32Array;
      } finally {
        alignedCrop?.dispose();
      }
    }
    timings.descriptor! += performance.now() - t;

    t = performance.now();
    const box = {
      x: raw.box.x - pad,
      y: raw.box.y - pad,
      width: raw.box.width,
      height: raw.box.height,
    };
    const points = landmarks.positions.map((p) => ({ x: p.x - pad, y: p.y - pad }));
    const stats = measureFacePixels(image.data, image.width, image.height, box);
    const quality = assessQuality(
      {
        ...stats,
        box,
        landmarks: points,
        score: raw.score,
        imageWidth: image.width,
        imageHeight: image.height,
      },
      thresholds,
    );
    timings.quality! += performance.now() - t;
    return { box, score: raw.score, landmarks: points, descriptor, quality };
  }
}

/**
 * Runs each net once on a blank input, so the first real frame does not pay for the backend's
 * kernel set-up (a blank frame holds no face, so detect() alone would skip two of the nets).
 */
async function warmUp({ faceapi, tf }: LoadedBackend, inputSize: number): Promise<void> {
  const frame = tf.zeros([inputSize, inputSize, 3], 'int32') as ReturnType<Tf['tensor3d']>;
  const face = tf.zeros([150, 150, 3], 'int32') as ReturnType<Tf['tensor3d']>;
  try {
    await faceapi.nets.tinyFaceDetector.locateFaces(
      frame,
      new faceapi.TinyFaceDetectorOptions({ inputSize }),
    );
    await faceapi.nets.faceLandmark68Net.detectLandmarks(face);
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face);
  } finally {
    frame.dispose();
    face.dispose();
  }
}

const clampInt = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));

function padTensor(
  tf: Tf,
  tensor: ReturnType<Tf['tensor3d']>,
  pad: number,
): ReturnType<Tf['tensor3d']> {
  return tf.pad(
    tensor,
    [
      [pad, pad],
      [pad, pad],
      [0, 0],
    ],
    PAD_VALUE,
  );
}

function validateInputSize(size: number): void {
  if (!Number.isInteger(size) || size < 64 || size > 1024 || size % 32 !== 0) {
    throw new FaceEngineError(
      'invalid_options',
      `detectorInputSize must be a multiple of 32 between 64 and 1024, got ${size}.`,
    );
  }
}
