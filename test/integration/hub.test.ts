// The hub as a real child process over HTTP: pairing and tokens, idempotent push, paged pull,
// deletions, and every kind of bad request answered with a 4xx JSON error and no data change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestIdForRegistration } from '../../core/protocol/roster';
import type { Change } from '../../core/protocol/sync';
import { checkInChecksum, LIMITS } from '../../core/protocol/sync';
import { call, HubAdmin, oversizedRequest, pullAll, push } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';
import { checkIn, guest, template } from '../fixtures/sync/records';

let hub: HubProcess;
let admin: HubAdmin;
let desk: { deviceId: string; token: string };
let kioskA: { deviceId: string; token: string };
let kioskB: { deviceId: string; token: string };

beforeAll(async () => {
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
  desk = await admin.pair('desk', 'Desk 1');
  kioskA = await admin.pair('kiosk', 'Kiosk North', 'north');
  kioskB = await admin.pair('kiosk', 'Kiosk South', 'south');
  const res = await push(hub.url, desk.token, {
    guests: [guest('g1'), guest('g2'), guest('g3')],
    templates: [template('t1', 'g1', 1), template('t2', 'g1', 2), template('t3', 'g2', 3)],
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await hub?.stop();
});

describe('pairing and tokens', () => {
  it('serves nothing without a valid token', async () => {
    for (const path of ['/v1/changes', '/v1/admin/overview', '/v1/admin/checkins/audit']) {
      const res = await call(hub.url + path);
      expect(res.status, path).toBe(401);
      expect(res.body).toMatchObject({ error: 'missing_token' });
    }
    const wrong = await call(`${hub.url}/v1/changes`, { token: 'x'.repeat(43) });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    // A device token is not an admin token.
    const notAdmin = await call(`${hub.url}/v1/admin/overview`, { token: kioskA.token });
    expect(notAdmin).toMatchObject({ status: 401, body: { error: 'invalid_admin_token' } });
    const noPush = await push(hub.url, 'y'.repeat(43), { guests: [guest('evil')] });
    expect(noPush.status).toBe(401);
  });

  it('uses a pairing code once and refuses a wrong one', async () => {
    const code = await admin.pairingCode('kiosk', 'east');
    const first = await call(`${hub.url}/v1/pair`, {
      body: { code: code.toLowerCase(), name: 'East' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ kind: 'kiosk', entranceId: 'east' });
    const again = await call(`${hub.url}/v1/pair`, { body: { code, name: 'East 2' } });
    expect(again).toMatchObject({ status: 401, body: { error: 'invalid_pairing_code' } });
    const wrong = await call(`${hub.url}/v1/pair`, { body: { code: 'AAAA-BBBB-CCCC', name: 'X' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_pairing_code' } });
  });

  it('refuses a revoked device at once', async () => {
    const device = await admin.pair('kiosk', 'Doomed', 'north');
    expect((await call(`${hub.url}/v1/changes`, { token: device.token })).status).toBe(200);
    expect((await admin.revoke(device.deviceId)).status).toBe(200);
    const pull = await call(`${hub.url}/v1/changes`, { token: device.token });
    expect(pull).toMatchObject({ status: 401, body: { error: 'token_revoked' } });
    const before = await admin.audit();
    const pushed = await push(hub.url, device.token, {
      checkIns: [checkIn('g1', device.deviceId, 'north')],
    });
    expect(pushed).toMatchObject({ status: 401, body: { error: 'token_revoked' } });
    expect((await admin.audit()).checksum).toBe(before.checksum);
    expect((await admin.revoke('dev-unknown')).status).toBe(404);
  });
});

describe('push and pull', () => {
  it('keeps a batch delivered twice exactly once', async () => {
    const batch = {
      checkIns: [checkIn('g1', kioskA.deviceId, 'north'), checkIn('g2', kioskA.deviceId, 'north')],
    };
    const before = await admin.audit();
    const first = await push(hub.url, kioskA.token, batch);
    expect(first).toMatchObject({ status: 200, body: { duplicates: 0 } });
    expect((first.body as { acknowledged: string[] }).acknowledged.sort()).toEqual(
      batch.checkIns.map((c) => c.id).sort(),
    );
    const second = await push(hub.url, kioskA.token, batch);
    expect(second).toMatchObject({ status: 200, body: { duplicates: 2 } });
    const after = await admin.audit();
    expect(after.total).toBe(before.total + 2);
    expect(after.checksum).toBe(
      checkInChecksum([
        ...Object.values(before.perGuest)
          .flat()
          .map((c) => c.id),
        ...batch.checkIns.map((c) => c.id),
      ]),
    );
  });

  it("gives each device the others' check-ins, not its own, in seq order and pages", async () => {
    const mine = checkIn('g3', kioskA.deviceId, 'north');
    const theirs = checkIn('g3', kioskB.deviceId, 'south');
    await push(hub.url, kioskA.token, { checkIns: [mine] });
    await push(hub.url, kioskB.token, { checkIns: [theirs] });
    const { changes, pages } = await pullAll(hub.url, kioskA.token, '0', 2);
    expect(pages).toBeGreaterThan(2);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const ids = changes.filter((c) => c.type === 'checkin').map((c) => c.data.id);
    expect(ids).toContain(theirs.id);
    expect(ids).not.toContain(mine.id);
    expect(changes.filter((c) => c.type === 'guest').map((c) => c.data.id)).toEqual(
      expect.arrayContaining(['g1', 'g2', 'g3']),
    );
    const received = changes.find(
      (c) => c.type === 'checkin' && c.data.id === theirs.id,
    ) as Extract<Change, { type: 'checkin' }>;
    expect(received.data.receivedAt).toBeTruthy();
  });

  it('refuses a cursor it never gave out', async () => {
    const res = await call(`${hub.url}/v1/changes?since=999999999`, { token: kioskA.token });
    expect(res).toMatchObject({ status: 409, body: { error: 'cursor_ahead' } });
  });

  it('returns nothing new after the cursor, and the next change after it', async () => {
    const { cursor } = await pullAll(hub.url, kioskA.token);
    expect((await pullAll(hub.url, kioskA.token, cursor)).changes).toEqual([]);
    await push(hub.url, desk.token, { guests: [guest('g4')] });
    const next = await pullAll(hub.url, kioskA.token, cursor);
    expect(next.changes.map((c) => c.type === 'guest' && c.data.id)).toEqual(['g4']);
  });

  it('deletes a guest with its templates and check-ins and tells every kiosk', async () => {
    expect((await admin.audit()).perGuest.g1!.length).toBeGreaterThan(0);
    const { cursor } = await pullAll(hub.url, kioskB.token);
    const del = await push(hub.url, desk.token, {
      deletions: [{ entity: 'guest', id: 'g1', deletedAt: '2026-11-30T09:00:00.000Z' }],
    });
    expect(del.status).toBe(200);
    const again = await push(hub.url, desk.token, {
      deletions: [{ entity: 'guest', id: 'g1', deletedAt: '2026-11-30T09:00:00.000Z' }],
    });
    expect(again).toMatchObject({ status: 200, body: { duplicates: 1 } });
    const next = await pullAll(hub.url, kioskB.token, cursor);
    expect(next.changes.map((c) => c.type)).toEqual(['tombstone']);
    const everything = await pullAll(hub.url, kioskB.token);
    const templateIds = everything.changes
      .filter((c) => c.type === 'template')
      .map((c) => c.data.id);
    expect(templateIds).toEqual(['t3']);
    expect(everything.changes.some((c) => c.type === 'guest' && c.data.id === 'g1')).toBe(false);
    // A late template for the deleted guest is dropped, and an old version of the guest does not revive it.
    const late = await push(hub.url, desk.token, {
      guests: [guest('g1')],
      templates: [template('t9', 'g1', 9)],
    });
    expect(late).toMatchObject({ status: 200, body: { duplicates: 2 } });
    expect((await pullAll(hub.url, kioskB.token, cursor)).changes.map((c) => c.type)).toEqual([
      'tombstone',
    ]);
  });

  it('keeps the newer version of a guest', async () => {
    await push(hub.url, desk.token, {
      guests: [guest('g2', { name: 'New', updatedAt: '2026-11-30T10:00:00.000Z' })],
    });
    await push(hub.url, desk.token, {
      guests: [guest('g2', { name: 'Old', updatedAt: '2026-11-30T09:30:00.000Z' })],
    });
    const { changes } = await pullAll(hub.url, kioskA.token);
    const g2 = changes.filter((c) => c.type === 'guest' && c.data.id === 'g2');
    expect(g2).toHaveLength(1);
    expect(g2[0]!.type === 'guest' && g2[0]!.data.name).toBe('New');
  });

  it("drops a guest's faces when consent is withdrawn", async () => {
    expect(
      (await pullAll(hub.url, kioskA.token)).changes.some(
        (c) => c.type === 'template' && c.data.guestId === 'g2',
      ),
    ).toBe(true);
    await push(hub.url, desk.token, {
      guests: [
        guest('g2', { name: 'New', consent: 'withdrawn', updatedAt: '2026-11-30T11:00:00.000Z' }),
      ],
    });
    const late = await push(hub.url, desk.token, { templates: [template('t10', 'g2', 10)] });
    expect(late).toMatchObject({ status: 200, body: { duplicates: 1 } });
    const { changes } = await pullAll(hub.url, kioskA.token);
    expect(changes.some((c) => c.type === 'template' && c.data.guestId === 'g2')).toBe(false);
  });

  it('records the device backlog and clock skew', async () => {
    const tenMinutesAhead = new Date(Date.now() + 10 * 60_000).toISOString();
    await push(
      hub.url,
      kioskB.token,
      { checkIns: [checkIn('g3', kioskB.deviceId, 'south')] },
      { 'x-outbox-size': '17', 'x-device-time': tenMinutesAhead },
    );
    const device = (await admin.overview()).devices.find((d) => d.id === kioskB.deviceId)!;
    expect(device.backlog).toBe(17);
    expect(device.clockSkewMs).toBeLessThan(-9 * 60_000);
    expect(device.clockSkewMs).toBeGreaterThan(-11 * 60_000);
  });
  it('brotli-compresses a large page for a client that accepts it, with the same content', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `big-${i}`);
    await push(hub.url, desk.token, {
      guests: ids.map((id) => guest(id)),
      templates: ids.map((id, i) => template(`${id}-t`, id, 100 + i)),
    });
    const url = `${hub.url}/v1/changes?limit=5000`;
    const plain = await fetch(url, {
      headers: { authorization: `Bearer ${kioskA.token}`, 'accept-encoding': 'identity' },
    });
    const br = await fetch(url, {
      headers: { authorization: `Bearer ${kioskA.token}`, 'accept-encoding': 'br' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(Number(br.headers.get('content-length'))).toBeLessThan(
      Number(plain.headers.get('content-length')) * 0.7,
    );
    expect(await br.json()).toEqual(await plain.json());
  });
});

describe('roster upload', () => {
  const roster = (csv: string, query = '') =>
    call(`${hub.url}/v1/admin/roster${query}`, {
      token: hub.adminToken,
      rawBody: csv,
      contentType: 'text/csv',
    });
  const csv =
    'Registration ID,Full name,Company,Category\nR-100,Zhang Wei,Acme,vip\nR-101,Ana Silva,,speaker\n';

  it("imports with the store's rules, gives the guests to kiosks, and changes nothing on a re-upload", async () => {
    const { cursor } = await pullAll(hub.url, kioskA.token);
    const first = await roster(csv);
    expect(first).toMatchObject({
      status: 200,
      body: { rows: 2, inserted: 2, updated: 0, unchanged: 0 },
    });
    const pulled = (await pullAll(hub.url, kioskA.token, cursor)).changes;
    const guests = pulled
      .filter((c) => c.type === 'guest')
      .map((c) => c.type === 'guest' && c.data);
    expect(guests).toEqual([
      expect.objectContaining({
        id: guestIdForRegistration('R-100'),
        name: 'Zhang Wei',
        organisation: 'Acme',
        category: 'vip',
      }),
      expect.objectContaining({
        id: guestIdForRegistration('R-101'),
        name: 'Ana Silva',
        category: 'speaker',
      }),
    ]);
    const { cursor: after } = await pullAll(hub.url, kioskA.token);
    const again = await roster(csv);
    expect(again).toMatchObject({ status: 200, body: { inserted: 0, updated: 0, unchanged: 2 } });
    expect((await pullAll(hub.url, kioskA.token, after)).changes).toEqual([]);
  });

  it('refuses a file with a bad row as a whole, unless told to skip bad rows', async () => {
    const { cursor } = await pullAll(hub.url, kioskA.token);
    const bad = 'Registration ID,Full name,Category\nR-200,Good Row,attendee\nR-201,,attendee\n';
    const refused = await roster(bad);
    expect(refused).toMatchObject({ status: 422, body: { error: 'roster_rejected' } });
    expect((refused.body as { message: string }).message).toMatch(/line 3/);
    expect((await pullAll(hub.url, kioskA.token, cursor)).changes).toEqual([]);
    const skipped = await roster(bad, '?skipBad=true');
    expect(skipped).toMatchObject({
      status: 200,
      body: { inserted: 1, errors: [expect.objectContaining({ line: 3 })] },
    });
  });

  it('answers a malformed file, a wrong content type and a missing token with 4xx', async () => {
    expect(await roster('Registration ID,Full name\n"R-300,Open quote\n')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^roster_/) },
    });
    expect(await roster('')).toMatchObject({ status: 400 });
    const json = await call(`${hub.url}/v1/admin/roster`, { token: hub.adminToken, body: { csv } });
    expect(json).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    const anonymous = await call(`${hub.url}/v1/admin/roster`, {
      rawBody: csv,
      contentType: 'text/csv',
    });
    expect(anonymous).toMatchObject({ status: 401 });
  });
});

describe('bad requests', () => {
  const hostile: {
    name: string;
    request: () => Promise<{ status: number; body: unknown }>;
    status: number;
    error: string;
  }[] = [
    {
      name: 'bad JSON',
      request: () => call(`${hub.url}/v1/push`, { token: kioskA.token, rawBody: '{"checkIns": [' }),
      status: 400,
      error: 'invalid_json',
    },
    {
      name: 'empty JSON body',
      request: () => call(`${hub.url}/v1/push`, { token: kioskA.token, rawBody: '' }),
      status: 400,
      error: 'empty_body',
    },
    {
      name: 'wrong content type',
      request: () =>
        call(`${hub.url}/v1/push`, {
          token: kioskA.token,
          rawBody: 'checkIns=1',
          contentType: 'application/x-www-form-urlencoded',
        }),
      status: 415,
      error: 'unsupported_media_type',
    },
    {
      name: 'wrong types',
      request: () =>
        push(hub.url, kioskA.token, {
          checkIns: [{ ...checkIn('g2', 'k', 'north'), distance: 'near' }],
        } as never),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'an array where an object belongs',
      request: () => call(`${hub.url}/v1/push`, { token: kioskA.token, body: [1, 2, 3] }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'unknown top-level field',
      request: () => push(hub.url, kioskA.token, { checkIns: [], extra: 1 } as never),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'too many items',
      request: () =>
        push(hub.url, kioskA.token, {
          checkIns: Array.from({ length: LIMITS.maxBatchItems + 1 }, () =>
            checkIn('g2', 'k', 'north'),
          ),
        }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'a body over the size limit (announced in content-length)',
      request: () =>
        oversizedRequest(
          `${hub.url}/v1/push`,
          { authorization: `Bearer ${kioskA.token}`, 'content-type': 'application/json' },
          LIMITS.maxBodyBytes + 1,
          true,
        ),
      status: 413,
      error: 'body_too_large',
    },
    {
      name: 'a body over the size limit (chunked)',
      request: () =>
        oversizedRequest(
          `${hub.url}/v1/push`,
          { authorization: `Bearer ${kioskA.token}`, 'content-type': 'application/json' },
          LIMITS.maxBodyBytes + 1,
          false,
        ),
      status: 413,
      error: 'body_too_large',
    },
    {
      name: 'SQL in an id',
      request: () => push(hub.url, desk.token, { guests: [guest("g2'; DROP TABLE guests;--")] }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'a path in an id',
      request: () => push(hub.url, desk.token, { guests: [guest('../../etc/passwd')] }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'a path in a route parameter',
      request: () =>
        call(`${hub.url}/v1/admin/devices/..%2F..%2Fetc%2Fpasswd/revoke`, {
          method: 'POST',
          token: hub.adminToken,
        }),
      status: 400,
      error: 'invalid_params',
    },
    {
      name: 'a path outside the dashboard',
      request: () => call(`${hub.url}/dashboard/..%2F..%2Fpackage.json`),
      status: 404,
      error: 'not_found',
    },
    {
      name: 'prototype poisoning',
      request: () =>
        call(`${hub.url}/v1/push`, {
          token: desk.token,
          rawBody: '{"guests":[],"__proto__":{"admin":true}}',
        }),
      status: 400,
      error: 'invalid_json',
    },
    {
      name: 'a descriptor of the wrong size',
      request: () =>
        push(hub.url, desk.token, {
          templates: [{ ...template('t7', 'g2', 7), descriptor: 'AAAA' }],
        }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'a template of an unknown guest',
      request: () => push(hub.url, desk.token, { templates: [template('t8', 'nobody', 8)] }),
      status: 422,
      error: 'unknown_guest',
    },
    {
      name: 'a cursor that is not a number',
      request: () => call(`${hub.url}/v1/changes?since=1%20OR%201=1`, { token: kioskA.token }),
      status: 400,
      error: 'invalid_query',
    },
    {
      name: 'a page size over the limit',
      request: () => call(`${hub.url}/v1/changes?limit=1000000`, { token: kioskA.token }),
      status: 400,
      error: 'invalid_query',
    },
    {
      name: 'a negative backlog header',
      request: () => push(hub.url, kioskA.token, { checkIns: [] }, { 'x-outbox-size': '-1' }),
      status: 400,
      error: 'invalid_header',
    },
    {
      name: 'a malformed pairing request',
      request: () => call(`${hub.url}/v1/pair`, { body: { code: 42 } }),
      status: 400,
      error: 'invalid_body',
    },
    {
      name: 'an unknown route',
      request: () => call(`${hub.url}/v1/../../etc/passwd`),
      status: 404,
      error: 'not_found',
    },
  ];

  it.each(hostile.map((h) => [h.name, h] as const))(
    'answers %s with a clear 4xx and changes nothing',
    async (_name, h) => {
      const before = await pullAll(hub.url, desk.token);
      const audit = await admin.audit();
      const res = await h.request();
      expect(res.status).toBe(h.status);
      expect(res.body).toMatchObject({ error: h.error, message: expect.any(String) });
      expect((res.body as { message: string }).message.length).toBeGreaterThan(5);
      const after = await pullAll(hub.url, desk.token);
      expect(after.changes).toEqual(before.changes);
      expect((await admin.audit()).checksum).toBe(audit.checksum);
    },
  );

  it('serves the dashboard with a strict CSP and no data', async () => {
    const res = await fetch(`${hub.url}/dashboard/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
