// Roster CSV rules shared by the kiosk and the hub: parsing, column mapping and per-row
// validation. Pure (no SQLite, no files): input is the file's bytes or text, output is plain data.
import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import { LIMITS, type Category, type Consent, type Entrance, type GuestRecord } from './sync';

/**
 * The stable guest id for a registration id: the same on every kiosk and on the hub, so two
 * imports of one roster converge on the same guests without coordination.
 */
export function guestIdForRegistration(registrationId: string): string {
  const digest = createHash('sha256').update(registrationId.normalize('NFC'), 'utf8').digest('hex');
  return `g-${digest.slice(0, 32)}`;
}

export const ROSTER_FIELDS = [
  'registrationId',
  'name',
  'nameLatin',
  'organisation',
  'category',
  'entrances',
  'language',
  'consent',
  'revoked',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
/** A column mapped to 'ignore' is read and dropped. */
export type ColumnTarget = RosterField | 'ignore';
export type ColumnMapping = Record<string, ColumnTarget>;

/** Header names registration systems use, normalised (lowercase, separators as one space). */
const HEADER_ALIASES: Record<string, RosterField> = {
  id: 'registrationId',
  'registration id': 'registrationId',
  registrationid: 'registrationId',
  'reg id': 'registrationId',
  regid: 'registrationId',
  'attendee id': 'registrationId',
  'ticket id': 'registrationId',
  name: 'name',
  'full name': 'name',
  fullname: 'name',
  'display name': 'name',
  'name latin': 'nameLatin',
  namelatin: 'nameLatin',
  'latin name': 'nameLatin',
  'name romanised': 'nameLatin',
  'name romanized': 'nameLatin',
  'romanised name': 'nameLatin',
  'romanized name': 'nameLatin',
  pinyin: 'nameLatin',
  organisation: 'organisation',
  organization: 'organisation',
  company: 'organisation',
  org: 'organisation',
  affiliation: 'organisation',
  category: 'category',
  type: 'category',
  'ticket type': 'category',
  'guest type': 'category',
  entrances: 'entrances',
  entrance: 'entrances',
  gates: 'entrances',
  gate: 'entrances',
  access: 'entrances',
  language: 'language',
  lang: 'language',
  locale: 'language',
  consent: 'consent',
  'face consent': 'consent',
  'biometric consent': 'consent',
  revoked: 'revoked',
  cancelled: 'revoked',
  canceled: 'revoked',
};

const CATEGORY_ALIASES: Record<string, Category> = {
  vip: 'vip',
  speaker: 'speaker',
  speakers: 'speaker',
  press: 'press',
  media: 'press',
  journalist: 'press',
  staff: 'staff',
  crew: 'staff',
  attendee: 'attendee',
  delegate: 'attendee',
  participant: 'attendee',
  visitor: 'attendee',
};

const CONSENT_VALUES: Record<string, Consent> = {
  granted: 'granted',
  yes: 'granted',
  y: 'granted',
  true: 'granted',
  '1': 'granted',
  agreed: 'granted',
  withdrawn: 'withdrawn',
  no: 'withdrawn',
  n: 'withdrawn',
  false: 'withdrawn',
  '0': 'withdrawn',
  refused: 'withdrawn',
  declined: 'withdrawn',
  unknown: 'unknown',
};

const REVOKED_VALUES: Record<string, boolean> = {
  yes: true,
  y: true,
  true: true,
  '1': true,
  revoked: true,
  cancelled: true,
  canceled: true,
  no: false,
  n: false,
  false: false,
  '0': false,
  active: false,
};

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** A whole-file problem: nothing can be imported from it. */
export type RosterFormatCode =
  | 'not_utf8'
  | 'empty_file'
  | 'unterminated_quote'
  | 'wrong_column_count'
  | 'malformed_csv'
  | 'missing_column'
  | 'duplicate_column'
  | 'bad_mapping';

export class RosterFormatError extends Error {
  override readonly name = 'RosterFormatError';
  constructor(
    readonly code: RosterFormatCode,
    /** 1-based line in the file (0 when the problem is not on one line, e.g. a bad --map). */
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
  }
}

export type RowProblem =
  | 'missing_id'
  | 'duplicate_id'
  | 'missing_name'
  | 'unknown_category'
  | 'unknown_entrance'
  | 'invalid_consent'
  | 'invalid_revoked'
  | 'invalid_language'
  | 'too_long'
  | 'registration_conflict';

export interface RosterRowError {
  /** 1-based line where the row starts in the file. */
  line: number;
  registrationId: string | null;
  problem: RowProblem;
  /** Human sentence: what is wrong and what was expected. */
  message: string;
}

/** One valid row. Fields whose column is absent from the file are absent here (left as they are). */
export interface RosterRow {
  line: number;
  registrationId: string;
  name: string;
  nameLatin?: string | null;
  organisation?: string | null;
  category?: Category;
  entrances?: string[];
  language?: string | null;
  consent?: Consent;
  revoked?: boolean;
}

export interface RosterParseResult {
  rows: RosterRow[];
  errors: RosterRowError[];
  /** How each column of the header was understood. */
  columns: { header: string; field: ColumnTarget | null }[];
  delimiter: string;
}

export interface RosterParseOptions {
  /** Column header → field, overriding the automatic header recognition. */
  mapping?: ColumnMapping;
  /** The event's entrances: a roster may name them by id or by name. */
  entrances: readonly Entrance[];
}

/** Parse `--map col=field` arguments (also `a=b,c=d`) into a mapping; field names are checked. */
export function parseMappingArgs(specs: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const fields = new Set<string>([...ROSTER_FIELDS, 'ignore']);
  for (const spec of specs.flatMap((s) => s.split(','))) {
    const eq = spec.lastIndexOf('=');
    const column = spec.slice(0, eq).trim();
    const field = spec.slice(eq + 1).trim();
    if (eq <= 0 || !column || !field) {
      throw new RosterFormatError('bad_mapping', 0, `--map expects column=field, got "${spec}"`);
    }
    if (!fields.has(field)) {
      throw new RosterFormatError(
        'bad_mapping',
        0,
        `--map ${spec}: unknown field "${field}" (fields: ${[...fields].join(', ')})`,
      );
    }
    mapping[column] = field as ColumnTarget;
  }
  return mapping;
}

/** Decode bytes as UTF-8 (a BOM is dropped); other encodings are a clear error. */
export function decodeRoster(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
    throw new RosterFormatError(
      'not_utf8',
      1,
      'the file is UTF-16; save it as "CSV UTF-8" and import again',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    const line = lineOfFirstInvalidByte(input);
    throw new RosterFormatError(
      'not_utf8',
      line,
      'the file is not valid UTF-8 (saved as Latin-1 or a legacy code page?); save it as "CSV UTF-8"',
    );
  }
}

function lineOfFirstInvalidByte(bytes: Uint8Array): number {
  // 0x0A never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return 1;
}

/** Byte offsets where each line starts (CRLF, LF and lone CR each end a line). */
function lineStartOffsets(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** 1-based line holding a byte offset. */
function lineAtOffset(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function normaliseHeader(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ');
}

function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Parse and validate a roster. Throws RosterFormatError for a malformed file. */
export function parseRoster(
  input: string | Uint8Array,
  options: RosterParseOptions,
): RosterParseResult {
  const text = decodeRoster(input);
  if (text.trim() === '') throw new RosterFormatError('empty_file', 1, 'the file is empty');
  // Line numbers come from byte offsets (csv-parse counts a CRLF inside quotes as two lines).
  const bytes = Buffer.from(text, 'utf8');
  const lineStarts = lineStartOffsets(bytes);
  const startLineAfter = (offset: number): number => {
    let at = offset;
    while (at < bytes.length && (bytes[at] === 0x0a || bytes[at] === 0x0d)) at++;
    return lineAtOffset(lineStarts, at);
  };

  const delimiter = detectDelimiter(text);
  const records: { record: string[]; line: number }[] = [];
  let lastEnd = 0; // byte offset just after the last complete record
  try {
    parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      on_record: (record: string[], context) => {
        records.push({ record, line: startLineAfter(lastEnd) });
        lastEnd = context.bytes;
        return null;
      },
    });
  } catch (err) {
    const line = startLineAfter(lastEnd);
    if (err instanceof CsvError) {
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
        throw new RosterFormatError(
          'unterminated_quote',
          line,
          'a quoted field is never closed (a missing " ); everything after it would be one field',
        );
      }
      if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
        const expected = records[0]?.record.length ?? 0;
        const got = (err as CsvError & { record?: unknown[] }).record?.length;
        throw new RosterFormatError(
          'wrong_column_count',
          line,
          `expected ${expected} fields like the header, found ${got ?? 'a different number'} (a comma in an unquoted field?)`,
        );
      }
      throw new RosterFormatError('malformed_csv', line, err.message);
    }
    throw err;
  }

  const [header, ...body] = records;
  if (!header) throw new RosterFormatError('empty_file', 1, 'the file has no header row');
  const columns = mapColumns(header.record, header.line, options.mapping ?? {});
  const index = (field: RosterField) => columns.findIndex((c) => c.field === field);
  for (const required of ['registrationId', 'name'] as const) {
    if (index(required) < 0) {
      throw new RosterFormatError(
        'missing_column',
        header.line,
        `no column for ${required} (headers: ${header.record.join(', ')}); use --map COLUMN=${required}`,
      );
    }
  }

  const entranceLookup = new Map<string, string>();
  for (const e of options.entrances) {
    entranceLookup.set(e.name.trim().toLowerCase(), e.id);
  }
  for (const e of options.entrances) entranceLookup.set(e.id.toLowerCase(), e.id); // ids win

  const rows: RosterRow[] = [];
  const errors: RosterRowError[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { record, line } of body) {
    const cell = (field: RosterField): string | undefined => {
      const i = index(field);
      return i < 0 ? undefined : record[i]!.trim();
    };
    const problems = validateRow(cell, line, entranceLookup, options.entrances);
    if ('row' in problems) {
      const previous = firstLineOf.get(problems.row.registrationId);
      if (previous !== undefined) {
        errors.push({
          line,
          registrationId: problems.row.registrationId,
          problem: 'duplicate_id',
          message: `registration id "${problems.row.registrationId}" already appears on line ${previous}`,
        });
        continue;
      }
      firstLineOf.set(problems.row.registrationId, line);
      rows.push(problems.row);
    } else {
      const id = cell('registrationId') || null;
      if (id && !firstLineOf.has(id)) firstLineOf.set(id, line);
      errors.push(...problems.errors);
    }
  }
  return { rows, errors, columns, delimiter };
}

function mapColumns(
  headers: string[],
  line: number,
  mapping: ColumnMapping,
): { header: string; field: ColumnTarget | null }[] {
  const byNormalised = new Map<string, ColumnTarget>();
  for (const [column, field] of Object.entries(mapping)) {
    const key = normaliseHeader(column);
    if (!headers.some((h) => normaliseHeader(h) === key)) {
      throw new RosterFormatError(
        'bad_mapping',
        line,
        `--map ${column}=${field}: the file has no column "${column}" (headers: ${headers.join(', ')})`,
      );
    }
    byNormalised.set(key, field);
  }
  const mappedFields = new Set(byNormalised.values());
  const columns = headers.map((header) => {
    const key = normaliseHeader(header);
    const explicit = byNormalised.get(key);
    if (explicit) return { header, field: explicit };
    const alias = HEADER_ALIASES[key] ?? null;
    // A field mapped explicitly to another column is not also taken by its alias.
    return { header, field: alias && mappedFields.has(alias) ? null : alias };
  });
  const seen = new Map<string, string>();
  for (const { header, field } of columns) {
    if (!field || field === 'ignore') continue;
    const other = seen.get(field);
    if (other !== undefined) {
      throw new RosterFormatError(
        'duplicate_column',
        line,
        `columns "${other}" and "${header}" both give ${field}; use --map "${header}=ignore" or map one elsewhere`,
      );
    }
    seen.set(field, header);
  }
  return columns;
}

type Cell = (field: RosterField) => string | undefined;

function validateRow(
  cell: Cell,
  line: number,
  entranceLookup: Map<string, string>,
  entrances: readonly Entrance[],
): { row: RosterRow } | { errors: RosterRowError[] } {
  const errors: RosterRowError[] = [];
  const registrationId = cell('registrationId') ?? '';
  const fail = (problem: RowProblem, message: string) =>
    errors.push({ line, registrationId: registrationId || null, problem, message });

  if (!registrationId) fail('missing_id', 'the registration id is empty');
  const name = cell('name') ?? '';
  if (!name) fail('missing_name', 'the name is empty');
  const row: RosterRow = { line, registrationId, name };

  for (const field of ['registrationId', 'name', 'nameLatin', 'organisation'] as const) {
    const value = cell(field);
    if (value !== undefined && value.length > LIMITS.maxText) {
      fail('too_long', `${field} is ${value.length} characters; at most ${LIMITS.maxText}`);
    }
  }
  const optionalText = (field: 'nameLatin' | 'organisation') => {
    const value = cell(field);
    if (value !== undefined) row[field] = value === '' ? null : value;
  };
  optionalText('nameLatin');
  optionalText('organisation');

  const category = cell('category');
  if (category !== undefined) {
    const known = category === '' ? 'attendee' : CATEGORY_ALIASES[category.toLowerCase()];
    if (known) row.category = known;
    else {
      fail(
        'unknown_category',
        `unknown category "${category}" (expected vip, speaker, press, staff or attendee)`,
      );
    }
  }

  const entranceCell = cell('entrances');
  if (entranceCell !== undefined) {
    const names = entranceCell
      .split(/[;|,]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const every = names.length === 0 || names.some((n) => n === '*' || n.toLowerCase() === 'all');
    const ids: string[] = [];
    const unknown: string[] = [];
    if (!every) {
      for (const n of names) {
        const id = entranceLookup.get(n.toLowerCase());
        if (id) {
          if (!ids.includes(id)) ids.push(id);
        } else unknown.push(n);
      }
    }
    if (unknown.length > 0) {
      const known = entrances.map((e) => (e.name === e.id ? e.id : `${e.id} (${e.name})`));
      fail(
        'unknown_entrance',
        `unknown entrance ${unknown.map((u) => `"${u}"`).join(', ')} (this event has: ${known.length ? known.join(', ') : 'no entrances set'})`,
      );
    } else row.entrances = ids;
  }

  const language = cell('language');
  if (language !== undefined) {
    if (language === '') row.language = null;
    else if (language.length <= 16 && LANGUAGE_TAG.test(language)) row.language = language;
    else fail('invalid_language', `"${language}" is not a language tag like en, zh-CN or pt-BR`);
  }

  const consent = cell('consent');
  if (consent !== undefined && consent !== '') {
    const value = CONSENT_VALUES[consent.toLowerCase()];
    if (value) row.consent = value;
    else fail('invalid_consent', `consent "${consent}" is not granted/yes or withdrawn/no`);
  }

  const revoked = cell('revoked');
  if (revoked !== undefined) {
    const value = revoked === '' ? false : REVOKED_VALUES[revoked.toLowerCase()];
    if (value !== undefined) row.revoked = value;
    else fail('invalid_revoked', `revoked "${revoked}" is not yes/no`);
  }
  return errors.length > 0 ? { errors } : { row };
}

/** One-line report of a bad row, for scripts and logs. */
export function formatRowError(error: RosterRowError): string {
  return `line ${error.line}: ${error.message}`;
}

/** The row names a registration id that another guest (made elsewhere, another id) holds. */
export function registrationConflict(row: RosterRow, holderId: string): RosterRowError {
  return {
    line: row.line,
    registrationId: row.registrationId,
    problem: 'registration_conflict',
    message: `registration id "${row.registrationId}" belongs to guest ${holderId} made elsewhere`,
  };
}

/**
 * A roster row over what is already held (kiosk store or hub): columns absent from the file keep
 * their stored value, so a partial export never blanks a guest.
 */
export function mergeRosterRow(
  row: RosterRow,
  id: string,
  existing: GuestRecord | null,
): Omit<GuestRecord, 'updatedAt'> {
  return {
    id,
    registrationId: row.registrationId,
    name: row.name,
    nameLatin: row.nameLatin !== undefined ? row.nameLatin : (existing?.nameLatin ?? null),
    organisation:
      row.organisation !== undefined ? row.organisation : (existing?.organisation ?? null),
    category: row.category ?? existing?.category ?? 'attendee',
    entrances: row.entrances ?? existing?.entrances ?? [],
    language: row.language !== undefined ? row.language : (existing?.language ?? null),
    consent: row.consent ?? existing?.consent ?? 'unknown',
    revoked: row.revoked ?? existing?.revoked ?? false,
  };
}
