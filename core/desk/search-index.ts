// In-memory guest search for the desk: every query word must be the start of some word of the
// guest's name, Latin name, organisation or registration number (or of a Chinese name's
// characters or pinyin). A sorted token list turns each query word into one binary search; the
// rarest word picks the candidates and the others are checked on those few guests only.
// Built once from the store, then kept in step with upsert()/remove() on every change.
import type { GuestRecord } from '../protocol/sync';
import { DeskError } from './errors';
import { compactText, indexTokens, queryTokens } from './normalise';

export type SearchableGuest = Pick<
  GuestRecord,
  | 'id'
  | 'registrationId'
  | 'name'
  | 'nameLatin'
  | 'organisation'
  | 'category'
  | 'consent'
  | 'revoked'
>;

export interface SearchHit {
  guest: SearchableGuest;
  score: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** All guests that matched, of which `hits` are the best `limit`. */
  total: number;
}

export const MAX_QUERY_LENGTH = 200;
export const MAX_LIMIT = 100;

interface Slot {
  guest: SearchableGuest;
  tokens: string[];
  nameTokens: Set<string>;
  registration: string;
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class GuestSearchIndex {
  private readonly slots: (Slot | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, number[]>();
  private sortedTokens: string[] = [];
  // Marks for de-duplicating candidates without allocating a Set per query.
  private marks = new Uint32Array(0);
  private generation = 0;

  static build(guests: Iterable<SearchableGuest>): GuestSearchIndex {
    const index = new GuestSearchIndex();
    for (const guest of guests) index.insert(guest, false);
    index.sortedTokens = [...index.postings.keys()].sort();
    return index;
  }

  /**
   * The same index, built a page at a time with a pause between pages, so a kiosk sharing this
   * thread keeps answering frames while a large roster is indexed (120,000 guests take ~3 s).
   * `nextPage(afterId)` returns the guests after that id in id order, [] at the end.
   */
  static async buildInSlices(
    nextPage: (afterId: string | null) => SearchableGuest[],
    pause: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve)),
  ): Promise<GuestSearchIndex> {
    const index = new GuestSearchIndex();
    let after: string | null = null;
    for (let page = nextPage(after); page.length > 0; page = nextPage(after)) {
      for (const guest of page) index.insert(guest, false);
      after = page[page.length - 1]!.id;
      await pause();
    }
    index.sortedTokens = [...index.postings.keys()].sort();
    return index;
  }

  get size(): number {
    return this.slotOf.size;
  }

  get(guestId: string): SearchableGuest | undefined {
    const slot = this.slotOf.get(guestId);
    return slot === undefined ? undefined : this.slots[slot]!.guest;
  }

  /** Adds a guest or replaces its entry (e.g. after an import or a consent change). */
  upsert(guest: SearchableGuest): void {
    this.remove(guest.id);
    this.insert(guest, true);
  }

  remove(guestId: string): void {
    const slotIndex = this.slotOf.get(guestId);
    if (slotIndex === undefined) return;
    const slot = this.slots[slotIndex]!;
    for (const token of slot.tokens) {
      const list = this.postings.get(token)!;
      const at = list.indexOf(slotIndex);
      list[at] = list[list.length - 1]!;
      list.pop();
      // The token stays in sortedTokens with an empty list: cheaper than splicing it out.
    }
    this.slots[slotIndex] = null;
    this.slotOf.delete(guestId);
    this.freeSlots.push(slotIndex);
  }

  /** Finds guests; throws bad_query for an empty, too long or symbol-only query. */
  search(query: string, limit = 20): SearchResult {
    if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) {
      throw new DeskError('bad_query', `A search is at most ${MAX_QUERY_LENGTH} characters.`);
    }
    const words = queryTokens(query);
    if (words.length === 0) {
      throw new DeskError(
        'bad_query',
        'Type part of a name, an organisation or a registration number.',
      );
    }
    const max = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
    const compact = compactText(query);

    // Keep only the best `max` (a bounded insertion list), so a one-letter query that matches
    // half the roster costs one pass, not a sort of every hit.
    const top: { slot: number; score: number }[] = [];
    let total = 0;
    const offer = (slot: number, score: number) => {
      total++;
      if (top.length === max && !this.better(slot, score, top[max - 1]!)) return;
      let at = top.length;
      while (at > 0 && this.better(slot, score, top[at - 1]!)) at--;
      top.splice(at, 0, { slot, score });
      if (top.length > max) top.pop();
    };
    const seen = new Set<number>();
    const wordHits = this.candidates(words);
    for (const slot of wordHits) offer(slot, this.score(slot, words, compact));
    // A registration number typed without its dashes or spaces ("reg20240042").
    if (words.length > 1 || compact !== words[0]) {
      const extra = this.prefixSlots(compact);
      if (extra.length > 0) {
        for (const slot of wordHits) seen.add(slot);
        for (const slot of extra) {
          if (!seen.has(slot)) offer(slot, this.score(slot, [compact], compact));
        }
      }
    }
    return {
      total,
      hits: top.map(({ slot, score }) => ({ guest: this.slots[slot]!.guest, score })),
    };
  }

  /** Higher score first; then by name, then id, so the order is stable. */
  private better(slot: number, score: number, than: { slot: number; score: number }): boolean {
    if (score !== than.score) return score > than.score;
    const a = this.slots[slot]!.guest;
    const b = this.slots[than.slot]!.guest;
    return a.name < b.name || (a.name === b.name && a.id < b.id);
  }

  private insert(guest: SearchableGuest, keepSorted: boolean): void {
    const tokens = new Set<string>();
    const nameTokens = new Set<string>();
    indexTokens(guest.name, nameTokens);
    indexTokens(guest.nameLatin, nameTokens);
    for (const t of nameTokens) tokens.add(t);
    indexTokens(guest.organisation, tokens);
    indexTokens(guest.registrationId, tokens);
    const registration = compactText(guest.registrationId);
    if (registration) tokens.add(registration);

    const slotIndex = this.freeSlots.pop() ?? this.slots.length;
    this.slots[slotIndex] = { guest, tokens: [...tokens], nameTokens, registration };
    this.slotOf.set(guest.id, slotIndex);
    for (const token of tokens) {
      let list = this.postings.get(token);
      if (!list) {
        list = [];
        this.postings.set(token, list);
        if (keepSorted) this.sortedTokens.splice(lowerBound(this.sortedTokens, token), 0, token);
      }
      list.push(slotIndex);
    }
  }

  /** Index range of tokens starting with `prefix` in sortedTokens. */
  private range(prefix: string): [number, number] {
    const lo = lowerBound(this.sortedTokens, prefix);
    // Common prefixes span many tokens: find the end with a second binary search.
    const hi = lowerBound(this.sortedTokens, prefix + '\uffff');
    return [lo, Math.max(lo, hi)];
  }

  private prefixSlots(prefix: string): number[] {
    if (!prefix) return [];
    const [lo, hi] = this.range(prefix);
    return this.collect(lo, hi);
  }

  private collect(lo: number, hi: number): number[] {
    if (this.marks.length < this.slots.length) this.marks = new Uint32Array(this.slots.length * 2);
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.marks.fill(0);
      this.generation = 1;
    }
    const out: number[] = [];
    for (let i = lo; i < hi; i++) {
      for (const slot of this.postings.get(this.sortedTokens[i]!)!) {
        if (this.marks[slot] !== this.generation) {
          this.marks[slot] = this.generation;
          out.push(slot);
        }
      }
    }
    return out;
  }

  private candidates(words: string[]): number[] {
    // Pick the query word whose prefix range holds the fewest postings.
    let best: [number, number] | null = null;
    let bestCount = Infinity;
    // Longer words are usually rarer: counting them first lets the count stop early for the rest.
    for (const word of [...words].sort((a, b) => b.length - a.length)) {
      const [lo, hi] = this.range(word);
      let count = 0;
      for (let i = lo; i < hi && count < bestCount; i++) {
        count += this.postings.get(this.sortedTokens[i]!)!.length;
      }
      if (count === 0) return [];
      if (count < bestCount) {
        bestCount = count;
        best = [lo, hi];
      }
    }
    const slots = this.collect(best![0], best![1]);
    if (words.length === 1) return slots;
    return slots.filter((slot) => {
      const tokens = this.slots[slot]!.tokens;
      return words.every((word) => tokens.some((t) => t.startsWith(word)));
    });
  }

  /** Registration number exact > whole name words > prefixes; ties broken by name. */
  private score(slotIndex: number, words: string[], compact: string): number {
    const slot = this.slots[slotIndex]!;
    let score = 0;
    if (compact && slot.registration === compact) score += 100;
    for (const word of words) {
      if (slot.nameTokens.has(word)) score += 4;
      else if (slot.tokens.includes(word)) score += 3;
      else score += 1;
    }
    return score;
  }
}
