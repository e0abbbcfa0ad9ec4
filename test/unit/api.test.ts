// The KioskApi contract: dispatch validates every input with the method's schema, turns every
// failure into a typed error value, and never leaks an internal error's details.
import { describe, expect, it } from 'vitest';
import {
  dispatch,
  frameResultSchema,
  KioskError,
  kioskMethodNames,
  kioskMethods,
  type KioskHandlers,
} from '../../core/api';
import { decodeRequest, encodeRequest, CodecError } from '../../core/transport/codec';

const calls: string[] = [];
const handlers: KioskHandlers = {
  async getStatus() {
    calls.push('getStatus');
    return {
      ready: true,
      kioskId: 'k1',
      event: { id: 'e', name: 'Event' },
      entrance: { id: 'north', name: 'North' },
      languages: ['en'],
      guestCount: 0,
      frameWidth: 480,
      resultMs: 5000,
      sync: { state: 'unpaired', lastSyncAt: null, waiting: 0 },
    };
  },
  async submitFrame({ frame }) {
    calls.push(`submitFrame:${frame.format}:${frame.data.byteLength}`);
    return { kind: 'no_face' };
  },
  async resetSession() {
    return { reset: true };
  },
  async checkInByCode({ code }) {
    if (code === 'boom') throw new Error('disk on fire at /secret/path');
    throw new KioskError('unknown_code', 'no guest has this registration number');
  },
};

const rgba = (width: number, height: number) => ({
  format: 'rgba' as const,
  width,
  height,
  data: new Uint8Array(width * height * 4),
});

describe('KioskApi dispatch', () => {
  it('lists every method with input, result and errors', () => {
    expect(kioskMethodNames.sort()).toEqual([
      'checkInByCode',
      'getStatus',
      'resetSession',
      'submitFrame',
    ]);
    for (const name of kioskMethodNames) {
      expect(kioskMethods[name].errors).toContain('invalid_input');
    }
  });

  it('runs a valid call and returns its value', async () => {
    await expect(dispatch(handlers, 'submitFrame', { frame: rgba(64, 48) })).resolves.toEqual({
      ok: true,
      value: { kind: 'no_face' },
    });
    expect(calls).toContain('submitFrame:rgba:12288');
  });

  it('refuses an unknown method without calling anything', async () => {
    const out = await dispatch(handlers, 'deleteEverything', {});
    expect(out).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const proto = await dispatch(handlers, '__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it.each([
    [
      'a frame whose bytes do not match its size',
      { frame: { ...rgba(64, 48), width: 65 } },
      'frame.data',
    ],
    ['a frame that is too small', { frame: rgba(16, 16) }, 'frame.width'],
    [
      'a frame that is too wide',
      { frame: { format: 'rgba', width: 5000, height: 48, data: new Uint8Array(4) } },
      'frame.width',
    ],
    [
      'frame data that is not bytes',
      { frame: { format: 'rgba', width: 64, height: 48, data: 'AAAA' } },
      'frame.data',
    ],
    [
      'an unknown frame format',
      { frame: { format: 'bmp', data: new Uint8Array(10) } },
      'frame.format',
    ],
    ['an empty jpeg', { frame: { format: 'jpeg', data: new Uint8Array(0) } }, 'frame.data'],
    ['an extra field', { frame: rgba(64, 48), guestId: 'g1' }, ''],
  ])('refuses %s as invalid_input naming the field', async (_name, input, path) => {
    const out = await dispatch(handlers, 'submitFrame', input);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('invalid_input');
    expect(out.error.issues?.map((i) => i.path)).toContain(path);
  });

  it('refuses an empty registration number', async () => {
    const out = await dispatch(handlers, 'checkInByCode', { code: '   ' });
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('passes a handler KioskError through as its typed code', async () => {
    const out = await dispatch(handlers, 'checkInByCode', { code: 'OSS-1' });
    expect(out).toEqual({
      ok: false,
      error: { code: 'unknown_code', message: 'no guest has this registration number' },
    });
  });

  it('reports an unexpected failure as internal, without its details, and logs it', async () => {
    const logged: unknown[] = [];
    const out = await dispatch(handlers, 'checkInByCode', { code: 'boom' }, (_m, e) =>
      logged.push(e),
    );
    expect(out).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(out)).not.toContain('/secret/path');
    expect(logged).toHaveLength(1);
  });

  it('describes every answer screen in the result schema', () => {
    const guest = {
      name: 'A',
      nameLatin: null,
      organisation: null,
      category: 'vip',
      language: null,
    };
    const entrance = { id: 'n', name: 'North' };
    for (const value of [
      { kind: 'no_face' },
      { kind: 'guidance', faces: [], guidance: ['one_person'] },
      { kind: 'scanning', faces: [] },
      { kind: 'checked_in', guest, entrance, at: '2026-01-01T10:00:00.000Z' },
      {
        kind: 'already_checked_in',
        guest,
        entrance,
        firstAt: '2026-01-01T10:00:00.000Z',
        firstEntrance: null,
      },
      { kind: 'not_allowed_here', guest, entrance, allowed: [entrance] },
      { kind: 'see_staff' },
      { kind: 'not_recognised' },
    ]) {
      expect(frameResultSchema.safeParse(value).success, value.kind).toBe(true);
    }
    expect(frameResultSchema.safeParse({ kind: 'guidance', faces: [], guidance: [] }).success).toBe(
      false,
    );
  });
});

describe('browser-mode request codec', () => {
  it('carries bytes as bytes next to the JSON', () => {
    const frame = rgba(64, 48);
    frame.data.fill(7);
    const decoded = decodeRequest(encodeRequest({ frame })) as { frame: typeof frame };
    expect(decoded.frame.width).toBe(64);
    expect(decoded.frame.data).toBeInstanceOf(Uint8Array);
    expect(decoded.frame.data.byteLength).toBe(64 * 48 * 4);
    expect(decoded.frame.data.every((b) => b === 7)).toBe(true);
  });

  it.each([
    ['a body shorter than its header', new Uint8Array([0, 0])],
    ['JSON that runs past the body', new Uint8Array([0, 0, 0, 50, 123])],
    ['JSON that does not parse', new Uint8Array([0, 0, 0, 1, 123])],
  ])('refuses %s', (_name, body) => {
    expect(() => decodeRequest(body)).toThrow(CodecError);
  });

  it('refuses a byte reference outside the body', () => {
    const json = new TextEncoder().encode('{"data":{"$bytes":[0,999]}}');
    const body = new Uint8Array(4 + json.byteLength + 4);
    new DataView(body.buffer).setUint32(0, json.byteLength);
    body.set(json, 4);
    expect(() => decodeRequest(body)).toThrow(/outside the body/);
  });
});
