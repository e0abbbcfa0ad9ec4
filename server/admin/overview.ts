// What the dashboard shows: devices with last contact and backlog, check-ins per entrance over
// time, recent check-ins, pairing codes. Read-only queries.
import { checkInChecksum } from '../../core/protocol/sync';
import type { HubDb } from '../storage/db';

export interface Overview {
  hubTime: string;
  totals: { guests: number; templates: number; checkIns: number; devices: number };
  devices: {
    id: string;
    name: string;
    kind: string;
    entranceId: string | null;
    createdAt: string;
    lastSeenAt: string | null;
    backlog: number | null;
    clockSkewMs: number | null;
    revokedAt: string | null;
  }[];
  /** Check-in counts per entrance per bucket (bucket start as ISO time), by corrected time. */
  perEntrance: { entranceId: string; bucketStart: string; count: number }[];
  bucketMinutes: number;
  recentCheckIns: {
    id: string;
    guestId: string;
    guestName: string | null;
    entranceId: string;
    kioskId: string;
    occurredAt: string;
    correctedAt: string;
    receivedAt: string;
    method: string;
  }[];
  pairingCodes: {
    id: string;
    hint: string;
    kind: string;
    label: string;
    entranceId: string | null;
    createdAt: string;
    expiresAt: string;
    usedAt: string | null;
    usedByDevice: string | null;
  }[];
}

async function count(db: HubDb, table: 'guests' | 'templates' | 'checkins' | 'devices') {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function readOverview(
  db: HubDb,
  options: { now: Date; hours: number; bucketMinutes: number },
): Promise<Overview> {
  const from = new Date(options.now.getTime() - options.hours * 3600_000).toISOString();
  const devices = await db.selectFrom('devices').selectAll().orderBy('created_at').execute();
  // Bucketing in JS keeps the SQL portable (no strftime/date_trunc differences).
  const times = await db
    .selectFrom('checkins')
    .select(['entrance_id', 'corrected_at'])
    .where('corrected_at', '>=', from)
    .execute();
  const bucketMs = options.bucketMinutes * 60_000;
  const buckets = new Map<string, { entranceId: string; bucketStart: string; count: number }>();
  for (const row of times) {
    const start = new Date(
      Math.floor(Date.parse(row.corrected_at) / bucketMs) * bucketMs,
    ).toISOString();
    const key = `${row.entrance_id}\u0000${start}`;
    const bucket = buckets.get(key) ?? {
      entranceId: row.entrance_id,
      bucketStart: start,
      count: 0,
    };
    bucket.count += 1;
    buckets.set(key, bucket);
  }
  const recent = await db
    .selectFrom('checkins')
    .leftJoin('guests', 'guests.id', 'checkins.guest_id')
    .select([
      'checkins.id',
      'checkins.guest_id',
      'guests.name',
      'checkins.entrance_id',
      'checkins.kiosk_id',
      'checkins.occurred_at',
      'checkins.corrected_at',
      'checkins.received_at',
      'checkins.method',
    ])
    .orderBy('checkins.corrected_at', 'desc')
    .limit(25)
    .execute();
  const codes = await db
    .selectFrom('pairing_codes')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return {
    hubTime: options.now.toISOString(),
    totals: {
      guests: await count(db, 'guests'),
      templates: await count(db, 'templates'),
      checkIns: await count(db, 'checkins'),
      devices: await count(db, 'devices'),
    },
    devices: devices.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      entranceId: d.entrance_id,
      createdAt: d.created_at,
      lastSeenAt: d.last_seen_at,
      backlog: d.backlog,
      clockSkewMs: d.clock_skew_ms,
      revokedAt: d.revoked_at,
    })),
    perEntrance: [...buckets.values()].sort((a, b) => a.bucketStart.localeCompare(b.bucketStart)),
    bucketMinutes: options.bucketMinutes,
    recentCheckIns: recent.map((r) => ({
      id: r.id,
      guestId: r.guest_id,
      guestName: r.name,
      entranceId: r.entrance_id,
      kioskId: r.kiosk_id,
      occurredAt: r.occurred_at,
      correctedAt: r.corrected_at,
      receivedAt: r.received_at,
      method: r.method,
    })),
    pairingCodes: codes.map((c) => ({
      id: c.id,
      hint: c.hint,
      kind: c.kind,
      label: c.label,
      entranceId: c.entrance_id,
      createdAt: c.created_at,
      expiresAt: c.expires_at,
      usedAt: c.used_at,
      usedByDevice: c.used_by_device,
    })),
  };
}

/** Every check-in the hub holds, as ids per guest plus a checksum: what tests compare with kiosks. */
export async function readCheckInAudit(db: HubDb) {
  const rows = await db
    .selectFrom('checkins')
    .select(['id', 'guest_id', 'corrected_at'])
    .orderBy('guest_id')
    .orderBy('corrected_at')
    .orderBy('id')
    .execute();
  const perGuest: Record<string, { id: string; correctedAt: string }[]> = {};
  for (const row of rows)
    (perGuest[row.guest_id] ??= []).push({ id: row.id, correctedAt: row.corrected_at });
  const ids = rows.map((r) => r.id);
  return { total: rows.length, checksum: checkInChecksum(ids), perGuest };
}
