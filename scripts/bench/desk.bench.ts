// Desk guest search on 120,000 guests: the in-memory token index against a linear scan over
// pre-folded text (the baseline, run in the same process on the same queries).
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { foldText } from '../../core/desk/normalise';
import { GuestSearchIndex, type SearchableGuest } from '../../core/desk/search-index';
import { median, peakRssMiB, percentile, type Report } from './report';

const GUESTS = 120_000;

/** Small deterministic PRNG (mulberry32): the same roster every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Anna',
  'José',
  'Zoë',
  'Mikkel',
  'Søren',
  'Fatima',
  'Łukasz',
  'Chloé',
  'Oliver',
  'Amélie',
  'Yusuf',
  'Ines',
  'Hiroshi',
  'Priya',
  'Björn',
  'Noémie',
  'Mateo',
  'Aisha',
  'Liam',
  'Ewa',
];
const FAMILY = [
  'Müller',
  'García',
  'Dubois',
  'Novák',
  'Smith',
  'Kowalski',
  'Jensen',
  'Rossi',
  'Öztürk',
  'Sato',
  'Nguyen',
  'Fernández',
  'Østergaard',
  'Papadopoulos',
  'Schröder',
  'Byrne',
  'Lefèvre',
  'Horváth',
  'Silva',
  'Andersson',
];
const SURNAME_ZH = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN_ZH = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
];
const ORGS = [
  'ACME Corp.',
  'Universität Zürich',
  '清华大学',
  'Société Générale',
  'Tsinghua University',
  'Northwind',
  'Ｆｕｌｌｗｉｄｔｈ Ｌｔｄ',
  'Globex',
  'Initech',
  'Umbrella',
];

function roster(): SearchableGuest[] {
  const rand = prng(42);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const guests: SearchableGuest[] = [];
  for (let i = 0; i < GUESTS; i++) {
    const chinese = rand() < 0.3;
    const name = chinese
      ? pick(SURNAME_ZH) + pick(GIVEN_ZH) + (rand() < 0.5 ? pick(GIVEN_ZH) : '')
      : `${pick(GIVEN)} ${pick(FAMILY)}-${i.toString(36)}`;
    guests.push({
      id: `g-${i}`,
      registrationId: `REG-${String(100000 + i)}`,
      name,
      nameLatin: null,
      organisation: rand() < 0.8 ? `${pick(ORGS)} ${Math.floor(rand() * 500)}` : null,
      category: 'attendee',
      consent: 'unknown',
      revoked: false,
    });
  }
  return guests;
}

const KINDS = [
  'registration number',
  'registration tail',
  'name words',
  'two-letter prefix',
  'name + organisation prefixes',
  'unique name part',
] as const;

function queries(guests: SearchableGuest[]): { kind: (typeof KINDS)[number]; q: string }[] {
  const rand = prng(7);
  const out: { kind: (typeof KINDS)[number]; q: string }[] = [];
  for (let i = 0; i < 300; i++) {
    const g = guests[Math.floor(rand() * guests.length)]!;
    const kind = KINDS[i % 6]!;
    let q: string;
    if (kind === 'registration number') q = g.registrationId;
    else if (kind === 'registration tail') q = g.registrationId.slice(-6);
    else if (kind === 'name words') q = g.name.split(/[ -]/).slice(0, 2).join(' ').toLowerCase();
    else if (kind === 'two-letter prefix') q = g.name.slice(0, 2);
    else if (kind === 'name + organisation prefixes')
      q = `${g.name.split(' ')[0]!.slice(0, 3)} ${(g.organisation ?? 'acme').slice(0, 4)}`;
    else q = g.name.split('-')[1] ?? g.name;
    out.push({ kind, q });
  }
  return out;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export async function run(report: Report): Promise<void> {
  const guests = roster();
  const qs = queries(guests);

  let index: GuestSearchIndex | null = null;
  const buildMs = time(() => {
    index = GuestSearchIndex.build(guests);
  });
  const built = index as unknown as GuestSearchIndex;

  // The desk builds its index in pages of 500 with a pause between them (a kiosk in the same
  // process keeps serving frames): the longest stretch without a pause is what a frame may wait.
  const byId = [...guests].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const position = new Map(byId.map((g, i) => [g.id, i]));
  const stretches: number[] = [];
  let stretchStart = performance.now();
  const slicedStart = performance.now();
  await GuestSearchIndex.buildInSlices(
    (afterId) => {
      const from = afterId === null ? 0 : position.get(afterId)! + 1;
      return byId.slice(from, from + 500);
    },
    async () => {
      stretches.push(performance.now() - stretchStart);
      await new Promise((resolve) => setImmediate(resolve));
      stretchStart = performance.now();
    },
  );
  const slicedMs = performance.now() - slicedStart;
  const folded = guests.map((guest) => ({
    guest,
    haystack: foldText(
      [guest.name, guest.nameLatin ?? '', guest.organisation ?? '', guest.registrationId].join(' '),
    ),
  }));

  const linear = (q: string) => {
    const words = foldText(q).split(' ').filter(Boolean);
    const hits: SearchableGuest[] = [];
    for (const { guest, haystack } of folded) {
      if (words.every((w) => haystack.includes(w))) hits.push(guest);
    }
    return hits.slice(0, 20);
  };

  // Warm both paths, then measure each query on both.
  for (const { q } of qs.slice(0, 20)) {
    built.search(q);
    linear(q);
  }
  const indexMs: number[] = [];
  const scanMs: number[] = [];
  const byKind = new Map<string, { index: number[]; scan: number[] }>();
  let found = 0;
  for (const { kind, q } of qs) {
    const a = time(() => (found += built.search(q).hits.length > 0 ? 1 : 0));
    const b = time(() => linear(q));
    indexMs.push(a);
    scanMs.push(b);
    const entry = byKind.get(kind) ?? { index: [], scan: [] };
    entry.index.push(a);
    entry.scan.push(b);
    byKind.set(kind, entry);
  }
  const upsertMs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const g = guests[i * 17]!;
    upsertMs.push(time(() => built.upsert({ ...g, name: `${g.name} Renamed${i}` })));
  }

  const m = median(indexMs);
  const b = median(scanMs);
  report({
    name: 'desk.search.median_ms',
    value: m,
    unit: 'ms',
    baseline: b,
    ratio: b / m,
    note: `${GUESTS} guests, ${qs.length} queries (${found} with hits); baseline = linear scan over pre-folded text`,
  });
  const p = percentile(indexMs, 95);
  const bp = percentile(scanMs, 95);
  report({ name: 'desk.search.p95_ms', value: p, unit: 'ms', baseline: bp, ratio: bp / p });
  report({
    name: 'desk.search.max_ms',
    value: Math.max(...indexMs),
    unit: 'ms',
    baseline: Math.max(...scanMs),
    ratio: Math.max(...scanMs) / Math.max(...indexMs),
  });
  for (const [kind, { index: ki, scan: ks }] of byKind) {
    const km = median(ki);
    const kb = median(ks);
    report({
      name: `desk.search.median_ms[${kind}]`,
      value: km,
      unit: 'ms',
      baseline: kb,
      ratio: kb / km,
      note: `${ki.length} queries`,
    });
  }
  report({
    name: 'desk.index.build_ms',
    value: buildMs,
    unit: 'ms',
    baseline: null,
    ratio: null,
    note: `${GUESTS} guests incl. pinyin; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  });
  report({
    name: 'desk.index.build_in_slices_ms',
    value: slicedMs,
    unit: 'ms',
    baseline: buildMs,
    ratio: buildMs / slicedMs,
    note: `pages of 500 with a pause between; longest stretch without a pause ${Math.max(...stretches).toFixed(1)} ms (median ${median(stretches).toFixed(1)} ms); baseline: the one-go build`,
  });
  report({
    name: 'desk.index.upsert_median_ms',
    value: median(upsertMs),
    unit: 'ms',
    baseline: null,
    ratio: null,
  });
  report({ name: 'desk.peak_rss', value: peakRssMiB(), unit: 'MiB', baseline: null, ratio: null });
}
