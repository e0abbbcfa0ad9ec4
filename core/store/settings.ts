// Small key/value settings of this kiosk (its id, its entrance, thresholds), stored as JSON text.
import type { Store } from './store';

export function getSetting<T>(store: Store, key: string): T | undefined {
  const row = store.stmt('SELECT value FROM setting WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function setSetting(store: Store, key: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`setting ${key}: value is not JSON`);
  store.write(() =>
    store
      .stmt(
        'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, text),
  );
}

export function deleteSetting(store: Store, key: string): void {
  store.write(() => store.stmt('DELETE FROM setting WHERE key = ?').run(key));
}
