// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then randomness. Ids made on a kiosk sort by the
// time they were made, which keeps SQLite's primary-key index append-mostly and makes the
// check-in id a usable idempotency key across kiosks without coordination.
import { randomFillSync } from 'node:crypto';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let lastMs = -1;
let lastCounter = 0;

/**
 * A new UUIDv7. Within one millisecond the 12-bit rand_a field counts up from a random start
 * (RFC 9562 method 1), so ids made by one process are strictly increasing.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  randomFillSync(bytes);
  let ms = Math.max(0, Math.floor(nowMs));
  if (ms <= lastMs) {
    // Same millisecond (or a clock step back): keep order by counting on from the last id.
    ms = lastMs;
    lastCounter += 1;
    if (lastCounter > 0xfff) {
      ms = lastMs + 1;
      lastCounter = bytes[6]! & 0x07;
    }
  } else {
    lastCounter = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // random start, headroom to count
  }
  lastMs = ms;
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((lastCounter >>> 8) & 0x0f);
  bytes[7] = lastCounter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** The millisecond timestamp inside a UUIDv7 (null when it is not a v7 id). */
export function uuidv7Time(id: string): number | null {
  if (!isUuid(id) || id[14] !== '7') return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
