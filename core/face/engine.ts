// The face engine's public entry point. Each worker thread runs its own FacePipeline, so the
// caller (kiosk main process, enrolment desk) never blocks on inference, and with 2 workers
// consecutive frames run on both cores at once. A worker that dies is replaced; the calls it
// was running fail with FaceEngineError('worker_crashed').
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from './backend';
import { parseBackendName } from './backend';
import { FaceEngineError, fromErrorData } from './errors';
import type { DetectOptions, MemoryReport, PipelineOptions } from './pipeline';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './protocol';
import type { DetectedFace, DetectionResult, ImageInput } from './types';

export type { DetectOptions, DetectorName, MemoryReport } from './pipeline';
export { DEFAULT_QUALITY_THRESHOLDS, assessQuality } from './quality';
export type { QualityThresholds } from './quality';
export { FaceEngineError } from './errors';
export type { FaceEngineErrorCode } from './errors';

export interface FaceEngineOptions extends PipelineOptions {
  /** Worker threads running the pipeline. Default 1; a kiosk on 2 cores should use 2. */
  workers?: number;
}

export interface SingleFaceResult extends DetectionResult {
  face: DetectedFace;
}

export interface EngineMemory extends MemoryReport {
  /** One entry per worker thread (tensors live in each worker's own tfjs). */
  workers: MemoryReport[];
}

export interface FaceEngine {
  /** The TensorFlow.js backend the workers run: 'node', 'wasm' or 'cpu'. */
  readonly backend: BackendName;
  /** All faces in the image, each with box, score, 68 landmarks, descriptor and quality. */
  detect(input: ImageInput, opts?: DetectOptions): Promise<DetectionResult>;
  /** Enrolment: exactly one face, else FaceEngineError no_face / several_faces. */
  describeSingleFace(input: ImageInput, opts?: DetectOptions): Promise<SingleFaceResult>;
  /** Live tensors and bytes in the workers' tfjs, plus their resident memory. */
  memory(): Promise<EngineMemory>;
  close(): Promise<void>;
}

export async function createFaceEngine(options: FaceEngineOptions = {}): Promise<FaceEngine> {
  const { workers = 1, ...pipelineOptions } = options;
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
    throw new FaceEngineError(
      'invalid_options',
      `workers must be a whole number from 1 to 16, got ${workers}.`,
    );
  }
  // Resolve FACE_BACKEND here so a bad value fails the caller, not a worker.
  const backend = options.backend ?? parseBackendName(process.env.FACE_BACKEND);
  const engine = new WorkerPoolEngine(
    { ...pipelineOptions, ...(backend ? { backend } : {}) },
    workers,
  );
  await engine.start();
  return engine;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: FaceEngineError): void;
}

/** One worker thread and the calls it is running. */
class Slot {
  worker: Worker | null = null;
  ready: Promise<BackendName> | null = null;
  readonly pending = new Map<number, Pending>();
}

const require = createRequire(import.meta.url);
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js',
  import.meta.url,
);

/** tsx's ESM register API as a file URL (its package exports map, "import" condition). */
function tsxEsmApiUrl(): string {
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']!.import.default))
    .href;
}

function spawnWorker(init: WorkerInit): Worker {
  if (WORKER_URL.pathname.endsWith('.ts')) {
    // Running from TypeScript sources (tsx, vitest): register tsx inside the new thread first,
    // then import the worker module, since loader hooks of the parent do not reach workers.
    const tsxApi = tsxEsmApiUrl();
    const code = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
    return new Worker(code, { eval: true, workerData: init });
  }
  return new Worker(WORKER_URL, { workerData: init });
}

class WorkerPoolEngine implements FaceEngine {
  backend: BackendName = 'cpu';
  private readonly slots: Slot[];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly options: PipelineOptions,
    workers: number,
  ) {
    this.slots = Array.from({ length: workers }, () => new Slot());
  }

  async start(): Promise<void> {
    try {
      const backends = await Promise.all(this.slots.map((slot) => this.boot(slot)));
      this.backend = backends[0]!;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  detect(input: ImageInput, opts: DetectOptions = {}): Promise<DetectionResult> {
    return this.call({
      type: 'detect',
      id: 0,
      input,
      opts,
      single: false,
    }) as Promise<DetectionResult>;
  }

  describeSingleFace(input: ImageInput, opts: DetectOptions = {}): Promise<SingleFaceResult> {
    return this.call({
      type: 'detect',
      id: 0,
      input,
      opts,
      single: true,
    }) as Promise<SingleFaceResult>;
  }

  async memory(): Promise<EngineMemory> {
    const reports = (await Promise.all(
      this.slots.map((slot) => this.callOn(slot, { type: 'memory', id: 0 })),
    )) as MemoryReport[];
    return {
      numTensors: reports.reduce((s, r) => s + r.numTensors, 0),
      numBytes: reports.reduce((s, r) => s + r.numBytes, 0),
      rssBytes: process.memoryUsage().rss,
      workers: reports,
    };
  }

  /** Test hook: makes one worker thread exit abruptly, as a native crash would. */
  crashWorkerForTest(index = 0): void {
    this.slots[index]?.worker?.postMessage({ type: 'crash', id: 0 } satisfies WorkerRequest);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = null;
        this.failAll(
          slot,
          new FaceEngineError('engine_closed', 'The face engine was closed during the call.'),
        );
        if (worker) await worker.terminate();
      }),
    );
  }

  private call(request: WorkerRequest): Promise<unknown> {
    // Least busy worker first: consecutive frames go to different cores.
    let best = this.slots[0]!;
    for (const slot of this.slots) if (slot.pending.size < best.pending.size) best = slot;
    return this.callOn(best, request);
  }

  private async callOn(slot: Slot, request: WorkerRequest): Promise<unknown> {
    if (this.closed) throw new FaceEngineError('engine_closed', 'The face engine is closed.');
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) =>
      slot.pending.set(id, { resolve, reject }),
    );
    try {
      await slot.ready;
    } catch (error) {
      slot.pending.delete(id);
      throw error;
    }
    if (!slot.worker || !slot.pending.has(id)) return result;
    slot.worker.postMessage({ ...request, id });
    return result;
  }

  private boot(slot: Slot): Promise<BackendName> {
    const worker = spawnWorker({ options: this.options });
    slot.worker = worker;
    let settled = false;
    let started = false;
    slot.ready = new Promise<BackendName>((resolve, reject) => {
      worker.on('message', (message: WorkerResponse) => {
        if (message.type === 'ready') {
          settled = true;
          started = true;
          resolve(message.backend as BackendName);
        } else if (message.type === 'init-failed') {
          settled = true;
          reject(fromErrorData(message.error));
        } else {
          this.settle(slot, message);
        }
      });
      worker.on('error', () => {
        // 'exit' follows; the error itself may hold image-derived data, so it is not logged.
      });
      worker.on('exit', (code) => {
        if (slot.worker !== worker) return;
        slot.worker = null;
        if (!settled) {
          settled = true;
          reject(
            new FaceEngineError(
              'worker_crashed',
              `The face worker exited (code ${code}) while starting.`,
            ),
          );
          return;
        }
        if (this.closed || !started) return;
        this.failAll(
          slot,
          new FaceEngineError(
            'worker_crashed',
            `The face worker stopped (exit code ${code}); it has been restarted.`,
            {
              exitCode: code,
            },
          ),
        );
        void this.boot(slot).catch(() => {
          // A worker that cannot start again fails each later call with its start-up error.
        });
      });
    });
    slot.ready.catch(() => {});
    return slot.ready;
  }

  private settle(slot: Slot, message: WorkerResponse): void {
    if (!('id' in message)) return;
    const pending = slot.pending.get(message.id);
    if (!pending) return;
    slot.pending.delete(message.id);
    if (message.type === 'failed') pending.reject(fromErrorData(message.error));
    else if (message.type === 'detected') pending.resolve(message.result);
    else if (message.type === 'memory') pending.resolve(message.memory);
  }

  private failAll(slot: Slot, error: FaceEngineError): void {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }
}
