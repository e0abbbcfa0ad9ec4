// Building the matcher's gallery from the store and keeping it in step with committed changes.
import type { GalleryWriter } from '../face/types';
import type { Store, StoreChange } from './store';
import { blobToDescriptor, descriptorsOf } from './templates';

/**
 * Fill the gallery with every stored face: one ordered pass over the templates, one setGuest()
 * per guest. Returns what was loaded.
 */
export function loadGallery(
  store: Store,
  gallery: GalleryWriter,
): { guests: number; templates: number } {
  const rows = store
    .stmt('SELECT guest_id, descriptor FROM face_template ORDER BY guest_id')
    .raw(true)
    .iterate() as IterableIterator<[string, Buffer]>;
  let current: string | null = null;
  let batch: Float32Array[] = [];
  let guests = 0;
  let templates = 0;
  for (const [guestId, blob] of rows) {
    if (guestId !== current) {
      if (current !== null) {
        gallery.setGuest(current, batch);
        guests++;
      }
      current = guestId;
      batch = [];
    }
    batch.push(blobToDescriptor(blob));
    templates++;
  }
  if (current !== null) {
    gallery.setGuest(current, batch);
    guests++;
  }
  return { guests, templates };
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
