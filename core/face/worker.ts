// Worker thread entry: owns one FacePipeline (its own tfjs backend and weights) and answers
// WorkerRequest messages. Errors go back as data; only a real crash ends the thread.
import { parentPort, workerData } from 'node:worker_threads';
import { FaceEngineError, toErrorData } from './errors';
import { FacePipeline } from './pipeline';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('core/face/worker.ts must run in a worker thread.');
const send = (message: WorkerResponse) => port.postMessage(message);

function asEngineError(error: unknown): FaceEngineError {
  if (error instanceof FaceEngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FaceEngineError('internal_error', `Face pipeline failed: ${message}`);
}

const init = workerData as WorkerInit;
let pipeline: FacePipeline;
try {
  pipeline = await FacePipeline.create(init.options);
} catch (error) {
  send({ type: 'init-failed', error: toErrorData(asEngineError(error)) });
  process.exit(0);
}
send({ type: 'ready', backend: pipeline.backend });

port.on('message', (request: WorkerRequest) => {
  void handle(request);
});

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'crash':
      process.exit(70);
      return;
    case 'memory':
      send({ type: 'memory', id: request.id, memory: pipeline.memory() });
      return;
    case 'detect':
      try {
        const result = request.single
          ? await pipeline.describeSingleFace(request.input, request.opts)
          : await pipeline.detect(request.input, request.opts);
        send({ type: 'detected', id: request.id, result });
      } catch (error) {
        send({ type: 'failed', id: request.id, error: toErrorData(asEngineError(error)) });
      }
  }
}
