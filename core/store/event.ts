// The event this kiosk serves and its entrances (set by the hub or by the import script).
import { eventSchema, type Entrance, type EventInfo } from '../protocol/sync';
import type { Store } from './store';

export function getEvent(store: Store): EventInfo | null {
  const row = store.stmt('SELECT id, name FROM event WHERE singleton = 1').get() as
    { id: string; name: string } | undefined;
  if (!row) return null;
  return { id: row.id, name: row.name, entrances: listEntrances(store) };
}

export function listEntrances(store: Store): Entrance[] {
  return store.stmt('SELECT id, name FROM entrance ORDER BY position, id').all() as Entrance[];
}

export function getEntrance(store: Store, id: string): Entrance | null {
  return (
    (store.stmt('SELECT id, name FROM entrance WHERE id = ?').get(id) as Entrance | undefined) ??
    null
  );
}

/** Replace the event and its entrances (validated; entrance ids unique). */
export function setEvent(store: Store, info: EventInfo): void {
  const event = eventSchema.parse(info);
  const ids = new Set<string>();
  for (const entrance of event.entrances) {
    if (ids.has(entrance.id)) throw new RangeError(`entrance id ${entrance.id} appears twice`);
    ids.add(entrance.id);
  }
  store.write(() => {
    store
      .stmt(
        `INSERT INTO event (singleton, id, name) VALUES (1, ?, ?)
         ON CONFLICT (singleton) DO UPDATE SET id = excluded.id, name = excluded.name`,
      )
      .run(event.id, event.name);
    store.stmt('DELETE FROM entrance').run();
    event.entrances.forEach((entrance, position) =>
      store
        .stmt('INSERT INTO entrance (id, name, position) VALUES (?, ?, ?)')
        .run(entrance.id, entrance.name, position),
    );
    store.announce({ type: 'event' });
  });
}
