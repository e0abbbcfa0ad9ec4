import { describe, expect, it } from 'vitest';
import { DeskError } from '../../core/desk/errors';
import { foldText, indexTokens, queryTokens } from '../../core/desk/normalise';
import { GuestSearchIndex, type SearchableGuest } from '../../core/desk/search-index';

function guest(id: string, name: string, extra: Partial<SearchableGuest> = {}): SearchableGuest {
  return {
    id,
    registrationId: `REG-${id}`,
    name,
    nameLatin: null,
    organisation: null,
    category: 'attendee',
    consent: 'unknown',
    revoked: false,
    ...extra,
  };
}

const GUESTS = [
  guest('1', 'Zoë Müller', { organisation: 'Universität Zürich' }),
  guest('2', '张伟', { nameLatin: 'Zhang Wei', organisation: '清华大学' }),
  guest('3', '李娜', { organisation: 'Tsinghua University' }),
  guest('4', 'José Álvarez', { registrationId: 'A-2024-0042' }),
  guest('5', 'Ｊｏｈｎ Ｓｍｉｔｈ', { organisation: 'ACME Corp.' }),
  guest('6', 'Søren Łukasz Straße'),
  guest('7', 'Wei Zhang', { organisation: 'ACME Corp.' }),
  guest('8', 'Anna Smithson'),
];

const ids = (index: GuestSearchIndex, q: string) =>
  index
    .search(q)
    .hits.map((h) => h.guest.id)
    .sort();

describe('search folding', () => {
  it('folds case, accents, width and special letters', () => {
    expect(foldText('Zoë MÜLLER')).toBe('zoe muller');
    expect(foldText('Ｊｏｈｎ　Ｓｍｉｔｈ')).toBe('john smith');
    expect(foldText('Søren Łukasz Straße')).toBe('soren lukasz strasse');
    expect(foldText('  O’Brien-Smith, Jr. ')).toBe('o brien smith jr');
  });

  it('gives Chinese names their characters and pinyin', () => {
    const tokens = new Set<string>();
    indexTokens('张伟', tokens);
    expect([...tokens].sort()).toEqual(['wei', 'zhang', 'zhangwei', '伟', '张', '张伟'].sort());
    expect(queryTokens('张伟 ACME')).toEqual(['张伟', 'acme']);
  });
});

describe('guest search index', () => {
  const index = GuestSearchIndex.build(GUESTS);

  it('finds a name as written or without accents, in any case', () => {
    expect(ids(index, 'zoe')).toEqual(['1']);
    expect(ids(index, 'ZOË müller')).toEqual(['1']);
    expect(ids(index, 'mueller')).toEqual(['1']);
    expect(ids(index, 'jose alv')).toEqual(['4']);
    expect(ids(index, 'soren strasse')).toEqual(['6']);
    expect(ids(index, 'lukasz')).toEqual(['6']);
  });

  it('finds full-width names with half-width queries and the other way round', () => {
    expect(ids(index, 'john smith')).toEqual(['5']);
    expect(ids(index, 'ｓｍｉｔｈ')).toEqual(['5', '8']);
  });

  it('finds Chinese names by characters, pinyin or the Latin name', () => {
    expect(ids(index, '张伟')).toEqual(['2']);
    expect(ids(index, '张')).toEqual(['2']);
    expect(ids(index, '伟')).toEqual(['2']);
    expect(ids(index, 'li na')).toEqual(['3']);
    expect(ids(index, 'lina')).toEqual(['3']);
    expect(ids(index, 'zhangwei')).toEqual(['2']);
    // Both orders of the Latin name are found; Wei Zhang is another guest.
    expect(ids(index, 'zhang wei')).toEqual(['2', '7']);
  });

  it('finds by organisation and by registration number with or without separators', () => {
    expect(ids(index, 'acme')).toEqual(['5', '7']);
    expect(ids(index, '清华')).toEqual(['2']);
    expect(ids(index, 'tsinghua')).toEqual(['3']);
    expect(ids(index, 'A-2024-0042')).toEqual(['4']);
    expect(ids(index, 'a20240042')).toEqual(['4']);
    expect(ids(index, '0042')).toEqual(['4']);
  });

  it('ranks an exact registration number and whole words first', () => {
    const hits = index.search('smith').hits.map((h) => h.guest.id);
    expect(hits).toEqual(['5', '8']);
  });

  it('limits hits but reports the total', () => {
    const result = index.search('a', 2);
    expect(result.hits).toHaveLength(2);
    expect(result.total).toBeGreaterThan(2);
  });

  it('stays in step with upserts and removals', () => {
    const live = GuestSearchIndex.build(GUESTS);
    live.upsert(guest('9', 'Zygmunt Quark'));
    expect(ids(live, 'zygm')).toEqual(['9']);
    live.upsert(guest('9', 'Zygmunt Quirk'));
    expect(ids(live, 'quark')).toEqual([]);
    expect(ids(live, 'quirk')).toEqual(['9']);
    live.remove('9');
    expect(ids(live, 'zygm')).toEqual([]);
    live.remove('1');
    expect(ids(live, 'zoe')).toEqual([]);
    expect(live.size).toBe(GUESTS.length - 1);
  });

  it('refuses empty, symbol-only and overlong queries', () => {
    for (const q of ['', '   ', '--//', 'x'.repeat(201)]) {
      expect(() => index.search(q)).toThrow(DeskError);
    }
    expect(index.search('nobody-like-this').hits).toEqual([]);
  });
});

describe('building the index in slices', () => {
  it('pauses after every page and answers exactly as the one-go build', async () => {
    const byId = [...GUESTS].sort((a, b) => (a.id < b.id ? -1 : 1));
    const pages: (string | null)[] = [];
    let pauses = 0;
    const sliced = await GuestSearchIndex.buildInSlices(
      (afterId) => {
        pages.push(afterId);
        const start = afterId === null ? 0 : byId.findIndex((g) => g.id === afterId) + 1;
        return byId.slice(start, start + 3);
      },
      async () => void pauses++,
    );
    // 8 guests, 3 a page: three pages, a pause after each, then the empty read that ends it.
    expect(pages).toEqual([null, '3', '6', '8']);
    expect(pauses).toBe(3);
    const whole = GuestSearchIndex.build(GUESTS);
    expect(sliced.size).toBe(whole.size);
    for (const q of ['zhang', 'acme', '清华', 'a-2024-0042', 'smith', 'so', 'nobody']) {
      expect(ids(sliced, q), q).toEqual(ids(whole, q));
    }
  });
});
