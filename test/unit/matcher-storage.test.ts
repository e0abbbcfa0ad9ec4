import { describe, expect, it } from 'vitest';
import { FloatStore } from '../../core/face/matcher-storage';

describe('FloatStore', () => {
  for (const inPlace of [true, false]) {
    it(`keeps its contents across growth (${inPlace ? 'WebAssembly.Memory' : 'copy fallback'})`, () => {
      const store = new FloatStore(10, inPlace);
      expect(store.data.length).toBeGreaterThanOrEqual(10);
      for (let i = 0; i < 10; i++) store.data[i] = i + 0.5;
      let length = 10;
      for (let step = 0; step < 6; step++) {
        length *= 7;
        store.grow(length);
        expect(store.data.length).toBeGreaterThanOrEqual(length);
        store.data[length - 1] = -step;
      }
      for (let i = 0; i < 10; i++) expect(store.data[i]).toBe(i + 0.5);
      expect(store.data[length - 1]).toBe(-5);
      const before = store.data;
      store.grow(5); // smaller: no-op, same view
      expect(store.data).toBe(before);
    });
  }
});
