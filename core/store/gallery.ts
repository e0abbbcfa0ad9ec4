// Building the matcher's gallery from the store and keeping it in step with committed changes.
import type { GalleryWriter } from '../face/types';
import type { Store, StoreChange } from './store';
import { DESCRIPTOR_LENGTH } from '../protocol/sync';
import { DESCRIPTOR_BYTES, countTemplates, descriptorsOf } from './templates';

/** Rows per chunk of the start-up read: large enough to amortise, small enough to stay cache-warm. */
export const GALLERY_READ_CHUNK = 4096;

// Reading one BLOB per row costs a JS Buffer per row: about 1.3 s for 360,000 templates here, most
// of the start-up. Instead SQLite hands over a whole chunk of rows as one value: group_concat joins
// the descriptors' bytes (a BLOB read as text in a UTF-8 database keeps its bytes, NULs included)
// and CAST back to BLOB returns them untouched. Both aggregates see the rows in the same order, so
// the n-th id owns the n-th 512 bytes. Ids cannot hold a newline (the id rule); a chunk whose
// sizes do not add up anyway is read again row by row, so a surprise costs time, never a face.
const CHUNK_SQL = `
  SELECT count(*) AS n, max(r) AS last,
         group_concat(g, char(10)) AS ids, CAST(group_concat(d, '') AS BLOB) AS bytes
  FROM (SELECT rowid AS r, guest_id AS g, descriptor AS d
        FROM face_template WHERE rowid > ? ORDER BY rowid LIMIT ?)`;
const ROWS_SQL = `
  SELECT guest_id, descriptor FROM face_template WHERE rowid > ? ORDER BY rowid LIMIT ?`;

interface Chunk {
  n: number;
  last: number | null;
  ids: string | null;
  bytes: Buffer | null;
}

/**
 * Fill the gallery with every stored face: one pass over the templates in storage order (no
 * index lookups), in chunks, inside one read transaction (a consistent snapshot), descriptors
 * copied into one block, then one setGuest() per guest. The block is zeroed afterwards: the
 * matcher holds its own copy. Returns what was loaded.
 */
export function loadGallery(
  store: Store,
  gallery: GalleryWriter,
  options: { chunkRows?: number } = {},
): { guests: number; templates: number } {
  const chunkRows = options.chunkRows ?? GALLERY_READ_CHUNK;
  const byGuest = new Map<string, Float32Array[]>();
  let block = new Float32Array(0);
  let templates = 0;
  let previous = '';
  let list: Float32Array[] = [];
  const add = (guestId: string, offset: number): void => {
    // A guest's templates are usually stored together: look the list up only when it changes.
    if (guestId !== previous) {
      previous = guestId;
      list = byGuest.get(guestId) ?? [];
      if (list.length === 0) byGuest.set(guestId, list);
    }
    list.push(block.subarray(offset, offset + DESCRIPTOR_LENGTH));
  };
  store.db.transaction(() => {
    const total = countTemplates(store);
    block = new Float32Array(total * DESCRIPTOR_LENGTH);
    const bytes = new Uint8Array(block.buffer);
    const concatenated = store.stmt(CHUNK_SQL);
    const rows = store.stmt(ROWS_SQL).raw(true);
    let after = 0;
    for (;;) {
      const chunk = concatenated.get(after, chunkRows) as Chunk;
      if (chunk.n === 0 || chunk.last === null) break;
      if (templates + chunk.n > total) throw new Error('the face table grew during a read');
      const ids = chunk.ids?.split('\n') ?? [];
      const start = templates;
      if (ids.length === chunk.n && chunk.bytes?.length === chunk.n * DESCRIPTOR_BYTES) {
        bytes.set(chunk.bytes, start * DESCRIPTOR_BYTES);
        for (let i = 0; i < chunk.n; i++) add(ids[i]!, (start + i) * DESCRIPTOR_LENGTH);
      } else {
        let i = 0;
        for (const [guestId, blob] of rows.iterate(after, chunkRows) as IterableIterator<
          [string, Buffer]
        >) {
          bytes.set(blob, (start + i) * DESCRIPTOR_BYTES);
          add(guestId, (start + i) * DESCRIPTOR_LENGTH);
          i++;
        }
      }
      chunk.bytes?.fill(0);
      templates += chunk.n;
      after = chunk.last;
    }
  })();
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
