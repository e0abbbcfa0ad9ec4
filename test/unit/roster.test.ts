// The pure roster rules: decoding, CSV structure, column mapping and every kind of bad row.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RosterFormatError,
  guestIdForRegistration,
  parseMappingArgs,
  parseRoster,
} from '../../core/protocol/roster';

const fixture = (name: string) => readFileSync(path.join('test/fixtures/roster', name));
const entrances = [
  { id: 'north', name: 'North Gate' },
  { id: 'south', name: 'South Gate' },
  { id: 'vip', name: 'VIP Lounge' },
];

function formatError(fn: () => unknown): RosterFormatError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RosterFormatError);
    return err as RosterFormatError;
  }
  throw new Error('expected a RosterFormatError');
}

describe('parseRoster on a good file', () => {
  const result = parseRoster(fixture('good.csv'), { entrances });

  it('keeps non-Latin names exactly, drops the BOM and understands common headers', () => {
    expect(result.errors).toEqual([]);
    expect(result.columns.map((c) => c.field)).toEqual([
      'registrationId',
      'name',
      'nameLatin',
      'organisation',
      'category',
      'entrances',
      'language',
      'consent',
    ]);
    expect(result.rows.map((r) => r.name)).toEqual([
      '王小明',
      'محمد الأحمد',
      'Zoë 😀 Müller',
      'Smith, Jane',
      '김민준',
    ]);
    expect(result.rows[0]!.registrationId).toBe('R1001'); // no BOM glued to the first id
  });

  it('reads quoted fields with commas, doubled quotes and newlines, and tells each row its line', () => {
    const [first, second, third, fourth, fifth] = result.rows;
    expect(first).toMatchObject({
      line: 2,
      organisation: '北京大学, 计算机系',
      category: 'vip',
      entrances: ['north', 'vip'],
      language: 'zh-CN',
      consent: 'granted',
    });
    expect(second).toMatchObject({
      line: 3,
      organisation: 'ACME "Gulf" LLC',
      nameLatin: 'Mohammed Al-Ahmad',
    });
    expect(second!.consent).toBeUndefined(); // empty: leave as it is
    expect(third).toMatchObject({
      line: 4,
      organisation: 'Line one\r\nLine two',
      nameLatin: null,
      consent: 'withdrawn',
    });
    expect(fourth).toMatchObject({ line: 7, entrances: [] }); // "all", after a blank line
    expect(fifth).toMatchObject({ line: 8, category: 'attendee' });
  });

  it('accepts a semicolon-separated export', () => {
    const r = parseRoster(fixture('semicolon.csv'), { entrances });
    expect(r.delimiter).toBe(';');
    expect(r.rows.map((x) => x.organisation)).toEqual(['Foo; Bar', 'Baz']);
  });
});

describe('every kind of bad row, by line', () => {
  it('reports line numbers and reasons, and keeps the good rows apart', () => {
    const result = parseRoster(fixture('bad-rows.csv'), { entrances });
    expect(result.rows.map((r) => [r.line, r.registrationId])).toEqual([
      [2, 'B1'],
      [12, 'B9'],
    ]);
    expect(result.errors.map((e) => [e.line, e.problem])).toEqual([
      [3, 'missing_id'],
      [4, 'duplicate_id'],
      [5, 'missing_name'],
      [6, 'unknown_category'],
      [7, 'unknown_entrance'],
      [8, 'invalid_language'],
      [10, 'invalid_consent'],
      [11, 'invalid_revoked'],
    ]);
    const byLine = new Map(result.errors.map((e) => [e.line, e.message]));
    expect(byLine.get(4)).toBe('registration id "B1" already appears on line 2');
    expect(byLine.get(6)).toMatch(/unknown category "emperor" \(expected vip, speaker/);
    expect(byLine.get(7)).toMatch(
      /unknown entrance "Moon Gate" \(this event has: north \(North Gate\)/,
    );
  });

  it('flags over-long fields', () => {
    const long = 'x'.repeat(501);
    const r = parseRoster(`id,name\nL1,${long}\n`, { entrances });
    expect(r.errors).toEqual([
      expect.objectContaining({
        line: 2,
        problem: 'too_long',
        message: 'name is 501 characters; at most 500',
      }),
    ]);
  });
});

describe('malformed files are one clear error with a line number', () => {
  it('an unterminated quote names the line where the quote opened', () => {
    const err = formatError(() => parseRoster(fixture('unterminated-quote.csv'), { entrances }));
    expect(err.code).toBe('unterminated_quote');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/^line 3: a quoted field is never closed/);
  });

  it('a wrong column count names the line and both counts', () => {
    const err = formatError(() => parseRoster(fixture('wrong-column-count.csv'), { entrances }));
    expect(err.code).toBe('wrong_column_count');
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/expected 3 fields like the header, found 4/);
  });

  it('not UTF-8, UTF-16, empty, or without the required columns', () => {
    const latin1 = formatError(() => parseRoster(fixture('latin1.csv'), { entrances }));
    expect(latin1).toMatchObject({ code: 'not_utf8', line: 3 });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,name\n', 'utf16le')]);
    expect(formatError(() => parseRoster(utf16, { entrances })).message).toMatch(/UTF-16/);
    expect(formatError(() => parseRoster('\uFEFF\n\n', { entrances })).code).toBe('empty_file');
    const noName = formatError(() => parseRoster('id,company\n1,x\n', { entrances }));
    expect(noName).toMatchObject({ code: 'missing_column', line: 1 });
    expect(noName.message).toMatch(/--map COLUMN=name/);
    expect(formatError(() => parseRoster('id,name,full name\n1,a,b\n', { entrances })).code).toBe(
      'duplicate_column',
    );
  });
});

describe('column mapping', () => {
  it("maps a registration system's own headers", () => {
    const mapping = parseMappingArgs([
      'Badge=registrationId',
      'Nom=name,Société=organisation',
      'Catégorie=category',
    ]);
    const r = parseRoster(fixture('custom-headers.csv'), { entrances, mapping });
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        registrationId: 'C1',
        name: 'Éloïse Dupont',
        organisation: 'Société Générale',
        category: 'vip',
      },
      { line: 3, registrationId: 'C2', name: '李娜', organisation: null, category: 'speaker' },
    ]);
  });

  it('can ignore a column and rejects unknown fields or columns', () => {
    const r = parseRoster('id,name,full name\n1,a,b\n', {
      entrances,
      mapping: parseMappingArgs(['full name=ignore']),
    });
    expect(r.rows[0]!.name).toBe('a');
    expect(() => parseMappingArgs(['Badge=badgeNumber'])).toThrow(/unknown field "badgeNumber"/);
    expect(() => parseMappingArgs(['=name'])).toThrow(/column=field/);
    const err = formatError(() =>
      parseRoster('id,name\n1,a\n', { entrances, mapping: parseMappingArgs(['Email=ignore']) }),
    );
    expect(err.message).toMatch(/no column "Email"/);
  });
});

describe('guestIdForRegistration', () => {
  it('is stable, valid as a wire id, and NFC-insensitive', () => {
    const id = guestIdForRegistration('R1001');
    expect(id).toMatch(/^g-[0-9a-f]{32}$/);
    expect(guestIdForRegistration('R1001')).toBe(id);
    expect(guestIdForRegistration('R1002')).not.toBe(id);
    expect(guestIdForRegistration('e\u0301')).toBe(guestIdForRegistration('\u00e9'));
  });
});
