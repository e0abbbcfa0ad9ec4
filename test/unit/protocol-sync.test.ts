// The wire schemas shared by hub and kiosks: what they accept, what they refuse, and the
// helpers both sides rely on (descriptor encoding, check-in checksum).
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  checkInChecksum,
  cursorSchema,
  decodeDescriptor,
  encodeDescriptor,
  pairRequestSchema,
  pullQuerySchema,
  pushBatchSchema,
} from '../../core/protocol/sync';
import { checkIn, descriptor, guest, template } from '../fixtures/sync/records';

describe('push batch schema', () => {
  it('fills in missing lists and keeps valid records', () => {
    const batch = pushBatchSchema.parse({ checkIns: [checkIn('g1', 'k1', 'north')] });
    expect(batch.guests).toEqual([]);
    expect(batch.checkIns).toHaveLength(1);
  });

  it('refuses unknown fields, hostile ids, wrong types and too many items', () => {
    expect(pushBatchSchema.safeParse({ checkIns: [], extra: true }).success).toBe(false);
    for (const bad of [
      "g1'; DROP TABLE guests;--",
      '../../etc/passwd',
      'a b',
      '',
      'x'.repeat(65),
    ]) {
      expect(pushBatchSchema.safeParse({ guests: [guest(bad)] }).success, bad).toBe(false);
    }
    expect(
      pushBatchSchema.safeParse({ checkIns: [{ ...checkIn('g', 'k', 'e'), id: 'not-a-uuid' }] })
        .success,
    ).toBe(false);
    expect(
      pushBatchSchema.safeParse({
        checkIns: [{ ...checkIn('g', 'k', 'e'), occurredAt: 'yesterday' }],
      }).success,
    ).toBe(false);
    expect(
      pushBatchSchema.safeParse({ templates: [{ ...template('t', 'g', 1), quality: 2 }] }).success,
    ).toBe(false);
    const many = Array.from({ length: LIMITS.maxBatchItems + 1 }, () => checkIn('g', 'k', 'e'));
    expect(pushBatchSchema.safeParse({ checkIns: many }).success).toBe(false);
  });

  it('refuses a pairing request with extra or missing fields', () => {
    expect(pairRequestSchema.safeParse({ code: 'ABCD-EFGH-JKMN', name: 'Kiosk' }).success).toBe(
      true,
    );
    expect(pairRequestSchema.safeParse({ code: 'ABCD-EFGH-JKMN' }).success).toBe(false);
    expect(pairRequestSchema.safeParse({ code: 'x', name: 'y', admin: true }).success).toBe(false);
  });
});

describe('cursor and pull query', () => {
  it('accepts only plain decimal cursors', () => {
    for (const good of ['0', '1', '123456789012345'])
      expect(cursorSchema.safeParse(good).success, good).toBe(true);
    for (const bad of ['-1', '01', 'abc', '1 OR 1=1', '1234567890123456', '']) {
      expect(cursorSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('coerces the query string and bounds the page size', () => {
    expect(pullQuerySchema.parse({})).toEqual({ since: '0', limit: 1_000 });
    expect(pullQuerySchema.parse({ since: '5', limit: '20' })).toEqual({ since: '5', limit: 20 });
    expect(pullQuerySchema.safeParse({ limit: String(LIMITS.maxPullPage + 1) }).success).toBe(
      false,
    );
    expect(pullQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({ since: '1', other: 'x' }).success).toBe(false);
  });
});

describe('descriptors on the wire', () => {
  it('round-trips exactly', () => {
    const d = descriptor(7);
    const b64 = encodeDescriptor(d);
    expect(b64).toHaveLength(684);
    expect(decodeDescriptor(b64)).toEqual(d);
  });

  it('refuses wrong sizes and non-finite numbers', () => {
    expect(() => encodeDescriptor(new Float32Array(127))).toThrow(RangeError);
    expect(() => decodeDescriptor('AAAA')).toThrow(RangeError);
    const bad = descriptor(1);
    bad[5] = Number.NaN;
    expect(() => decodeDescriptor(encodeDescriptor(bad))).toThrow(/non-finite/);
  });
});

describe('check-in checksum', () => {
  it('depends on the set of ids only', () => {
    const a = checkInChecksum(['b', 'a', 'c']);
    expect(checkInChecksum(['c', 'b', 'a', 'a'])).toBe(a);
    expect(checkInChecksum(['a', 'b'])).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
