// Picks and starts the TensorFlow.js backend for face-api, once per thread.
// Order: tfjs-node (native, an optionalDependency) when it loads, else WebAssembly (SIMD),
// else plain JS ('cpu'). FACE_BACKEND=node|wasm|cpu or the `backend` option forces one.
// Nothing is fetched from the network: the .wasm binaries are read from node_modules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as FaceApiModule from '@vladmandic/face-api';
import { FaceEngineError } from './errors';
import { installFastConcat } from './wasm-concat';

export type BackendName = 'node' | 'wasm' | 'cpu';
export type FaceApi = typeof FaceApiModule;
export type Tf = FaceApi['tf'];

/** The part of the tfjs runtime API that face-api's bundled typings leave out. */
export interface TfRuntime {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  memory(): { numTensors: number; numBytes: number };
  env(): { platform: unknown; getAsync(flag: string): Promise<unknown> };
  setWasmPaths?(map: Record<string, string>, usePlatformFetch: boolean): void;
}

export const runtimeOf = (faceapi: FaceApi): TfRuntime => faceapi.tf as unknown as TfRuntime;

export interface LoadedBackend {
  faceapi: FaceApi;
  tf: Tf;
  runtime: TfRuntime;
  backend: BackendName;
  /** Whether the wasm backend runs its SIMD binary (null for other backends). */
  simd: boolean | null;
}

const require = createRequire(import.meta.url);
const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
// tfjs asks its platform to fetch these names; we answer them from disk (see serveWasmFromDisk).
const LOCAL_PREFIX = 'local-wasm:';

let loaded: Promise<LoadedBackend> | null = null;

export function parseBackendName(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'node' || value === 'wasm' || value === 'cpu') return value;
  throw new FaceEngineError(
    'invalid_options',
    `Unknown face backend "${value}": use node, wasm or cpu.`,
    { backend: value },
  );
}

/** Starts the backend for this thread (idempotent: later calls get the first result). */
export function loadBackend(requested?: BackendName): Promise<LoadedBackend> {
  loaded ??= start(requested ?? parseBackendName(process.env.FACE_BACKEND));
  return loaded;
}

async function start(requested: BackendName | undefined): Promise<LoadedBackend> {
  if (requested === 'node' || requested === undefined) {
    const native = tryLoadNative();
    if (native) return native;
    if (requested === 'node') {
      throw new FaceEngineError(
        'backend_unavailable',
        'FACE_BACKEND=node was requested but @tensorflow/tfjs-node is not installed or does not load.',
        { backend: 'node' },
      );
    }
  }
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApi;
  const tf = faceapi.tf;
  const runtime = runtimeOf(faceapi);
  if (requested === 'cpu') {
    await setBackendOrThrow(runtime, 'cpu');
    return { faceapi, tf, runtime, backend: 'cpu', simd: null };
  }
  serveWasmFromDisk(runtime);
  await setBackendOrThrow(runtime, 'wasm');
  installFastConcat(tf);
  const simd = (await runtime.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { faceapi, tf, runtime, backend: 'wasm', simd };
}

function tryLoadNative(): LoadedBackend | null {
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    return null;
  }
  try {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node.js') as FaceApi;
    const runtime = runtimeOf(faceapi);
    if (runtime.getBackend() !== 'tensorflow') return null;
    return { faceapi, tf: faceapi.tf, runtime, backend: 'node', simd: null };
  } catch {
    // A broken native build (wrong libc, missing .so) must not stop the kiosk: fall back.
    return null;
  }
}

async function setBackendOrThrow(tf: TfRuntime, name: 'wasm' | 'cpu'): Promise<void> {
  let ok = false;
  let cause = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    cause =
      error instanceof Error
        ? error.message
        : String((error as { message?: unknown })?.message ?? error);
  }
  if (!ok || tf.getBackend() !== name) {
    throw new FaceEngineError(
      'backend_unavailable',
      `TensorFlow.js backend "${name}" did not start. ${cause}`.trim(),
      {
        backend: name,
      },
    );
  }
}

/**
 * In Node, tfjs's platform fetch cannot read a plain file path, so map each wasm binary to a
 * private name and answer those names with the bytes read from the installed package.
 * Threads are not used: tfjs-backend-wasm disables them under Node; we parallelise with workers.
 */
function serveWasmFromDisk(tf: TfRuntime): void {
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const fileMap: Record<string, string> = {};
  for (const name of WASM_BINARIES) fileMap[name] = LOCAL_PREFIX + name;
  if (!tf.setWasmPaths)
    throw new FaceEngineError('backend_unavailable', 'This face-api build has no wasm backend.');
  tf.setWasmPaths(fileMap, true);
  const platform = tf.env().platform as unknown as {
    fetch(path: string, init?: unknown): Promise<Response>;
  };
  const original = platform.fetch.bind(platform);
  platform.fetch = (path: string, init?: unknown) => {
    if (typeof path === 'string' && path.startsWith(LOCAL_PREFIX)) {
      const name = path.slice(LOCAL_PREFIX.length);
      try {
        const bytes = readFileSync(join(dir, 'dist', name));
        return Promise.resolve(
          new Response(bytes, { headers: { 'content-type': 'application/wasm' } }),
        );
      } catch {
        return Promise.resolve(new Response(null, { status: 404 }));
      }
    }
    return original(path, init);
  };
}
