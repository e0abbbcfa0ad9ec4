// Messages between engine.ts (caller thread) and worker.ts (face pipeline thread).
// Plain structured-cloneable data only.
import type { FaceEngineErrorData } from './errors';
import type { DetectOptions, MemoryReport, PipelineOptions } from './pipeline';
import type { DetectionResult, ImageInput } from './types';

export type WorkerRequest =
  | { type: 'detect'; id: number; input: ImageInput; opts: DetectOptions; single: boolean }
  | { type: 'memory'; id: number }
  /** Test hook: ends the worker thread abruptly, as a native crash would. */
  | { type: 'crash'; id: number };

export type WorkerResponse =
  | { type: 'ready'; backend: string }
  | { type: 'init-failed'; error: FaceEngineErrorData }
  | { type: 'detected'; id: number; result: DetectionResult }
  | { type: 'memory'; id: number; memory: MemoryReport }
  | { type: 'failed'; id: number; error: FaceEngineErrorData };

export interface WorkerInit {
  options: PipelineOptions;
}
