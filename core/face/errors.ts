// Every failure the face engine reports is a FaceEngineError with a stable `code`, so callers
// (kiosk UI, enrolment desk, bulk-enrol script) can react without parsing messages.
// It survives the worker boundary as plain data (see toErrorData / fromErrorData).

export type FaceEngineErrorCode =
  /** The input buffer has no bytes. */
  | 'empty_input'
  /** The bytes are not a JPEG, PNG or WebP image (e.g. a text file). */
  | 'unsupported_format'
  /** The bytes look like an image but cannot be decoded (truncated, damaged). */
  | 'corrupt_image'
  /** The image has more pixels than the engine's maxPixels limit; refused before decoding. */
  | 'image_too_large'
  /** A raw RGBA frame whose size does not match width x height x 4, or bad dimensions. */
  | 'invalid_frame'
  /** describeSingleFace: no face was found. */
  | 'no_face'
  /** describeSingleFace: more than one face was found. */
  | 'several_faces'
  /** A weight file named in models/manifest.json is missing. */
  | 'model_missing'
  /** A weight file does not match its SHA-256 in models/manifest.json, or cannot be parsed. */
  | 'model_corrupt'
  /** The requested TensorFlow backend cannot be started. */
  | 'backend_unavailable'
  /** The worker running the call died; it has been restarted, the call was not completed. */
  | 'worker_crashed'
  /** The engine was closed before or during the call. */
  | 'engine_closed'
  /** Options passed by the caller are not valid. */
  | 'invalid_options'
  /** An unexpected failure inside the pipeline (a bug): the message says where. */
  | 'internal_error';

export class FaceEngineError extends Error {
  override readonly name = 'FaceEngineError';
  constructor(
    readonly code: FaceEngineErrorCode,
    message: string,
    /** Small, non-biometric context: a file name, a pixel count. Never image data. */
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export interface FaceEngineErrorData {
  code: FaceEngineErrorCode;
  message: string;
  details: Record<string, string | number>;
}

export function toErrorData(error: FaceEngineError): FaceEngineErrorData {
  return { code: error.code, message: error.message, details: error.details };
}

export function fromErrorData(data: FaceEngineErrorData): FaceEngineError {
  return new FaceEngineError(data.code, data.message, data.details);
}

export function isFaceEngineError(value: unknown): value is FaceEngineError {
  return value instanceof FaceEngineError;
}
