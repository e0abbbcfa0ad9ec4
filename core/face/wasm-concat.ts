// A faster Concat for tfjs-backend-wasm, same results bit for bit.
//
// The stock kernel copies each input's inner block with subarray() + set(). face-api subtracts
// the mean colour in all three nets by concatenating three [1, H, W, 1] tensors along the last
// axis, so the stock kernel makes one tiny copy per pixel: a third of every frame's kernel time
// here (25 ms of the tiny detector's 60 ms at 320 px). When every inner block is small, a plain
// element loop does the same copy in a fraction of that. Other cases go to the stock kernel.
import type { Tf } from './backend';

/** Largest inner block (elements) copied by the loop; larger blocks copy well with set(). */
export const SMALL_BLOCK = 16;

interface TensorInfo {
  dataId: object;
  shape: number[];
  dtype: string;
}

interface WasmBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): { [index: number]: number; length: number };
}

interface KernelArgs {
  inputs: ArrayLike<TensorInfo>;
  backend: WasmBackend;
  attrs: { axis: number | number[] };
}

interface KernelConfig {
  kernelName: string;
  backendName: string;
  kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[];
  setupFunc?: unknown;
  disposeFunc?: unknown;
}

/** The parts of tfjs this needs (typed loosely: they are not in face-api's typings). */
interface KernelRegistry {
  getKernel(name: string, backend: string): KernelConfig | undefined;
  unregisterKernel(name: string, backend: string): void;
  registerKernel(config: KernelConfig): void;
  util: {
    sizeFromShape(shape: number[]): number;
    parseAxisParam(axis: number | number[], shape: number[]): number[];
  };
  backend_util: {
    assertParamsConsistent(shapes: number[][], axis: number): void;
    computeOutShape(shapes: number[][], axis: number): number[];
  };
}

const installed = new WeakSet<object>();

/**
 * Replace the wasm backend's Concat with one that loops over small inner blocks. Idempotent.
 * Returns false when there is no wasm Concat to replace (another backend is in use).
 */
export function installFastConcat(tf: Tf): boolean {
  const registry = tf as unknown as KernelRegistry;
  if (installed.has(registry)) return true;
  const stock = registry.getKernel('Concat', 'wasm');
  if (!stock) return false;
  registry.unregisterKernel('Concat', 'wasm');
  registry.registerKernel({
    ...stock,
    kernelFunc: (args) => concatSmallBlocks(registry, args) ?? stock.kernelFunc(args),
  });
  installed.add(registry);
  return true;
}

/** The concatenation when every inner block is small; null to leave it to the stock kernel. */
function concatSmallBlocks(tf: KernelRegistry, { inputs, backend, attrs }: KernelArgs) {
  const list = Array.from(inputs);
  if (list.length < 2) return null;
  const dtype = list[0]!.dtype;
  if (list.some((t) => t.dtype !== dtype || dtype === 'string' || t.shape.includes(0))) {
    return null;
  }
  const shapes = list.map((t) => t.shape);
  const axis = tf.util.parseAxisParam(attrs.axis, shapes[0]!)[0]!;
  const blocks = shapes.map((shape) => tf.util.sizeFromShape(shape.slice(axis)));
  if (Math.max(...blocks) > SMALL_BLOCK) return null;
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const out = backend.makeOutput(tf.backend_util.computeOutShape(shapes, axis), dtype);
  // Views after makeOutput: allocating may grow (and so detach) the wasm heap.
  const sources = list.map((t) => backend.typedArrayFromHeap(t));
  const target = backend.typedArrayFromHeap(out);
  const outer = tf.util.sizeFromShape(shapes[0]!.slice(0, axis));
  let at = 0;
  for (let row = 0; row < outer; row++) {
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      const block = blocks[i]!;
      for (let k = row * block, end = k + block; k < end; k++) target[at++] = source[k]!;
    }
  }
  return out;
}
