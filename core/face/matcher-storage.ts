// The gallery's float descriptors: one contiguous Float32Array that grows IN PLACE.
// It lives in a standalone WebAssembly.Memory: on 64-bit engines its address space is reserved up
// front, so memory.grow commits more pages without copying the data (no 2× peak, no large garbage
// for the collector, no stale copy of a deleted descriptor left behind). Where WebAssembly is
// missing it falls back to allocate-copy-zero.
const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: 8 million 128-d descriptors

export class FloatStore {
  private memory: WebAssembly.Memory | null;
  /** The data; a new view after every grow(). */
  data: Float32Array;

  constructor(initialLength: number, inPlace = true) {
    this.memory = null;
    this.data = new Float32Array(0);
    if (!inPlace) {
      this.data = new Float32Array(initialLength);
      return;
    }
    try {
      const pages = Math.max(1, Math.ceil((initialLength * 4) / PAGE));
      this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES });
      this.data = new Float32Array(this.memory.buffer);
    } catch {
      this.data = new Float32Array(initialLength);
    }
  }

  /** Make data.length >= length, keeping the contents. */
  grow(length: number): void {
    if (length <= this.data.length) return;
    if (this.memory !== null) {
      const missing = Math.ceil((length * 4 - this.memory.buffer.byteLength) / PAGE);
      if (missing > 0) this.memory.grow(missing);
      this.data = new Float32Array(this.memory.buffer);
      return;
    }
    const old = this.data;
    this.data = new Float32Array(length);
    this.data.set(old);
    old.fill(0); // the old copy goes to the garbage collector: leave no descriptors in it
  }
}
