// Text folding for guest search: a name is found as written or transliterated, whatever the case,
// accents or character width (full-width Ｌａｔｉｎ, half-width katakana), and Chinese names by their
// characters or their pinyin. Index and query go through the same functions.
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

// Letters that NFD does not split into base + accent.
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL).join('')}]`, 'g');
// German spelling without umlauts (Müller = Mueller) is a transliteration too.
const UMLAUT: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue' };

const ASCII = /^[ -~]*$/; // printable ASCII

/** Case-, accent- and width-folded text with every run of non-letters/digits as one space. */
export function foldText(text: string): string {
  // Most rosters are mostly ASCII: skip the Unicode normalisation passes for them.
  if (ASCII.test(text)) {
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPECIAL_RE, (c) => SPECIAL[c]!)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Letters and digits only: "REG-2024 / 0042" → "reg20240042". */
export function compactText(text: string): string {
  return foldText(text).replace(/ /g, '');
}

// Names repeat a lot (a few hundred surnames), so remember each run's pinyin.
const pinyinCache = new Map<string, string[]>();
const PINYIN_CACHE_MAX = 100_000;

function pinyinOf(run: string): string[] {
  const cached = pinyinCache.get(run);
  if (cached) return cached;
  const syllables = pinyin(run, { toneType: 'none', type: 'array', surname: 'head', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z]/g, ''))
    .filter((s) => s.length > 0);
  if (pinyinCache.size >= PINYIN_CACHE_MAX) pinyinCache.clear();
  pinyinCache.set(run, syllables);
  return syllables;
}

/** Index tokens of one text: words, each Han character and Han run, pinyin syllables and their join. */
export function indexTokens(text: string | null | undefined, out: Set<string>): void {
  if (!text) return;
  const folded = foldText(text);
  for (const word of folded.split(' ')) {
    if (word.length === 0) continue;
    out.add(word);
    if (!HAN.test(word)) continue;
    for (const run of word.match(HAN_RUN) ?? []) {
      out.add(run);
      for (const ch of run) out.add(ch);
      const syllables = pinyinOf(run);
      for (const s of syllables) out.add(s);
      if (syllables.length > 1) out.add(syllables.join(''));
    }
    // Latin or digits glued to Han characters ("李明ABC") are words of their own too.
    for (const rest of word.replace(HAN_RUN, ' ').split(' ')) if (rest) out.add(rest);
  }
  if (ASCII.test(text)) return;
  const lower = text.normalize('NFKC').toLowerCase();
  if (/[äöü]/.test(lower)) {
    const alt = foldText(lower.replace(/[äöü]/g, (c) => UMLAUT[c]!));
    for (const word of alt.split(' ')) if (word) out.add(word);
  }
}

/** Query tokens: folded words; a Han run stays whole so it prefix-matches the indexed run. */
export function queryTokens(query: string): string[] {
  const tokens: string[] = [];
  for (const word of foldText(query).split(' ')) {
    if (word.length === 0) continue;
    if (!HAN.test(word)) {
      tokens.push(word);
      continue;
    }
    for (const run of word.match(HAN_RUN) ?? []) tokens.push(run);
    for (const rest of word.replace(HAN_RUN, ' ').split(' ')) if (rest) tokens.push(rest);
  }
  return [...new Set(tokens)];
}
