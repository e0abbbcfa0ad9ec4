// Building the matcher's gallery from the store and keeping it in step with committed changes.
import type { GalleryWriter } from '../face/types';
import type { Store, StoreChange } from './store';
import { DESCRIPTOR_LENGTH } from '../protocol/sync';
import { countTemplates, descriptorsOf } from './templates';

/**
 * Fill the gallery with every stored face: one pass over the templates in storage order (no
 * index lookups), descriptors copied into one block, then one setGuest() per guest. The block is
 * zeroed afterwards: the matcher holds its own copy. Returns what was loaded.
 */
export function loadGallery(
  store: Store,
  gallery: GalleryWriter,
): { guests: number; templates: number } {
  const total = countTemplates(store);
  const block = new Float32Array(total * DESCRIPTOR_LENGTH);
  const bytes = new Uint8Array(block.buffer);
  const byGuest = new Map<string, Float32Array[]>();
  const rows = store
    .stmt('SELECT guest_id, descriptor FROM face_template')
    .raw(true)
    .iterate() as IterableIterator<[string, Buffer]>;
  let templates = 0;
  let previous = '';
  let list: Float32Array[] = [];
  for (const [guestId, blob] of rows) {
    const offset = templates * DESCRIPTOR_LENGTH;
    bytes.set(blob, offset * 4);
    // A guest's templates are usually stored together: look the list up only when it changes.
    if (guestId !== previous) {
      previous = guestId;
      list = byGuest.get(guestId) ?? [];
      if (list.length === 0) byGuest.set(guestId, list);
    }
    list.push(block.subarray(offset, offset + DESCRIPTOR_LENGTH));
    templates++;
  }
  try {
    for (const [guestId, descriptors] of byGuest) gallery.setGuest(guestId, descriptors);
  } finally {
    block.fill(0);
  }
  return { guests: byGuest.size, templates };
}

/** Refresh the gallery for each guest whose faces changed (call after commit only). */
export function applyToGallery(
  store: Store,
  gallery: GalleryWriter,
  changes: readonly StoreChange[],
): void {
  const touched = new Set<string>();
  for (const change of changes) {
    if (change.type === 'faces' || change.type === 'guest_deleted') touched.add(change.guestId);
  }
  for (const guestId of touched) {
    const descriptors = descriptorsOf(store, guestId);
    if (descriptors.length === 0) gallery.removeGuest(guestId);
    else gallery.setGuest(guestId, descriptors);
  }
}

/**
 * loadGallery, then keep the gallery in step with every later commit. Returns the function that
 * stops following the store.
 */
export function bindGallery(
  store: Store,
  gallery: GalleryWriter,
): { loaded: { guests: number; templates: number }; unbind: () => void } {
  const loaded = loadGallery(store, gallery);
  const unbind = store.onChange((changes) => applyToGallery(store, gallery, changes));
  return { loaded, unbind };
}
