// The camera: getUserMedia, and frames scaled down to what the detector needs.

export type CameraProblem = 'missing' | 'denied' | 'failed';

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    message: string,
  ) {
    super(message);
  }
}

export async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError('missing', 'this page has no camera API (not a secure context?)');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
    });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new CameraError('denied', 'camera permission denied');
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      throw new CameraError('missing', 'no camera found');
    }
    throw new CameraError('failed', `camera failed: ${name || String(error)}`);
  }
}

/** Grabs RGBA frames from a playing <video>, scaled to `width` px wide. Reuses one canvas. */
export class FrameGrabber {
  private readonly canvas = document.createElement('canvas');
  private readonly context = this.canvas.getContext('2d', { willReadFrequently: true });

  grab(video: HTMLVideoElement, width: number) {
    const { videoWidth, videoHeight } = video;
    if (!this.context || videoWidth === 0 || videoHeight === 0) return null;
    const scale = Math.min(1, width / videoWidth);
    const w = Math.round(videoWidth * scale);
    const h = Math.round(videoHeight * scale);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.context.drawImage(video, 0, 0, w, h);
    const image = this.context.getImageData(0, 0, w, h);
    return {
      format: 'rgba' as const,
      width: w,
      height: h,
      data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    };
  }
}
