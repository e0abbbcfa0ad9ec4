// Admin token, one-time pairing codes and device tokens. Only hashes are stored; a revoked device
// is refused on its very next request because every request looks the token up afresh.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { HubDb } from '../storage/db';
import type { HubDatabase } from '../storage/schema';
import type { DevicesTable } from '../storage/schema';
import { HubError, unauthorized } from '../http/errors';
import { hashesEqual, newPairingCode, newToken, normalisePairingCode, sha256Hex } from './secrets';
import type {
  CreatePairingCode,
  DeviceKind,
  PairResponse,
  PairingCodeCreated,
} from '../../core/protocol/sync';
import { createPairingCodeSchema } from '../../core/protocol/sync';

const ADMIN_KEY = 'admin_token_sha256';

/** Creates the admin token on first start; returns it (to print once) or null if one exists. */
export async function ensureAdminToken(db: HubDb): Promise<string | null> {
  const existing = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirst();
  if (existing) return null;
  return resetAdminToken(db);
}

export async function resetAdminToken(db: HubDb): Promise<string> {
  const token = newToken();
  await db
    .insertInto('settings')
    .values({ key: ADMIN_KEY, value: sha256Hex(token) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sha256Hex(token) }))
    .execute();
  return token;
}

export async function verifyAdminToken(db: HubDb, token: string | null): Promise<void> {
  if (!token)
    throw unauthorized('missing_token', 'send the admin token as Authorization: Bearer <token>');
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', ADMIN_KEY)
    .executeTakeFirst();
  if (!row || !hashesEqual(row.value, sha256Hex(token))) {
    throw unauthorized('invalid_admin_token', 'the admin token is not valid');
  }
}

export async function createPairingCode(
  db: HubDb,
  input: CreatePairingCode,
  now: Date,
): Promise<PairingCodeCreated> {
  const request = createPairingCodeSchema.parse(input);
  const code = newPairingCode();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + request.ttlMinutes * 60_000).toISOString();
  await db
    .insertInto('pairing_codes')
    .values({
      id,
      code_hash: sha256Hex(code),
      hint: code.slice(-4),
      kind: request.kind,
      label: request.label,
      entrance_id: request.entranceId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
      used_by_device: null,
    })
    .execute();
  return { id, code, expiresAt };
}

const invalidCode = () =>
  new HubError(401, 'invalid_pairing_code', 'the pairing code is unknown, already used or expired');

/** Consumes a pairing code (once) and creates a device with a fresh token. */
export async function pairDevice(
  db: HubDb,
  request: { code: string; name: string },
  now: Date,
): Promise<PairResponse> {
  const codeHash = sha256Hex(normalisePairingCode(request.code));
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('pairing_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    if (!row || !hashesEqual(row.code_hash, codeHash)) throw invalidCode();
    if (row.used_at !== null || row.expires_at <= now.toISOString()) throw invalidCode();
    const token = newToken();
    const deviceId = `dev-${randomUUID()}`;
    // The `used_at is null` guard makes a second concurrent use of the code change nothing.
    const claimed = await trx
      .updateTable('pairing_codes')
      .set({ used_at: now.toISOString(), used_by_device: deviceId })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw invalidCode();
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        name: request.name,
        kind: row.kind,
        entrance_id: row.entrance_id,
        token_hash: sha256Hex(token),
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        backlog: null,
        clock_skew_ms: null,
        revoked_at: null,
      })
      .execute();
    return { deviceId, kind: row.kind as DeviceKind, entranceId: row.entrance_id, token };
  });
}

export async function authenticateDevice(db: HubDb, token: string | null): Promise<DevicesTable> {
  if (!token) {
    throw unauthorized('missing_token', 'send the device token as Authorization: Bearer <token>');
  }
  const tokenHash = sha256Hex(token);
  const device = await db
    .selectFrom('devices')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!device || !hashesEqual(device.token_hash, tokenHash)) {
    throw unauthorized('invalid_token', 'the device token is not valid; pair the device again');
  }
  if (device.revoked_at !== null) {
    throw unauthorized('token_revoked', `device ${device.id} was revoked at ${device.revoked_at}`);
  }
  return device;
}

export async function revokeDevice(db: HubDb, deviceId: string, now: Date): Promise<void> {
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', deviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const exists = await db
      .selectFrom('devices')
      .select('id')
      .where('id', '=', deviceId)
      .executeTakeFirst();
    if (!exists) throw new HubError(404, 'unknown_device', `no device ${deviceId}`);
  }
}

export async function recordContact(
  db: Kysely<HubDatabase>,
  deviceId: string,
  contact: { now: Date; backlog: number | null; clockSkewMs: number | null },
): Promise<void> {
  await db
    .updateTable('devices')
    .set({
      last_seen_at: contact.now.toISOString(),
      ...(contact.backlog !== null ? { backlog: contact.backlog } : {}),
      ...(contact.clockSkewMs !== null ? { clock_skew_ms: contact.clockSkewMs } : {}),
    })
    .where('id', '=', deviceId)
    .execute();
}
