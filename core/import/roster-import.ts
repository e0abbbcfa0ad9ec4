// Importing a roster into the store: all rows in one transaction, or none of them.
// Re-importing the same file changes nothing (no updatedAt bump, no outbox row).
import {
  guestIdForRegistration,
  mergeRosterRow,
  registrationConflict,
  parseRoster,
  type ColumnMapping,
  type RosterParseResult,
  type RosterRowError,
} from '../protocol/roster';
import { audit } from '../store/audit';
import { listEntrances } from '../store/event';
import { getGuestByRegistrationId, saveGuest } from '../store/guests';
import type { Store } from '../store/store';
import { getTombstone } from '../store/tombstones';

export interface ImportOptions {
  mapping?: ColumnMapping;
  /** Import the good rows and report the bad ones (default: a bad row stops the whole import). */
  skipBad?: boolean;
  staffId?: string | null;
  /** Shown in the audit log. */
  sourceName?: string;
}

export interface ImportSummary {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of guests deleted on this kiosk (tombstone): a roster does not bring them back. */
  deleted: number;
  /** Bad rows (skipped when skipBad; otherwise the import threw RosterRejectedError). */
  errors: RosterRowError[];
  columns: RosterParseResult['columns'];
}

/** The counts of an import, for its audit entry and its summary table. */
export function importCounts(summary: ImportSummary) {
  const { rows, inserted, updated, unchanged, deleted } = summary;
  return { rows, inserted, updated, unchanged, deleted, skipped: summary.errors.length };
}

/** The file has bad rows and skipBad was not given: nothing was imported. */
export class RosterRejectedError extends Error {
  override readonly name = 'RosterRejectedError';
  constructor(readonly errors: RosterRowError[]) {
    super(
      `${errors.length} bad row${errors.length === 1 ? '' : 's'}; nothing was imported (fix them or use --skip-bad):\n` +
        errors
          .slice(0, 50)
          .map((e) => `  line ${e.line}: ${e.message}`)
          .join('\n') +
        (errors.length > 50 ? `\n  … and ${errors.length - 50} more` : ''),
    );
  }
}

/**
 * Parse, validate and import a roster (bytes or text). Throws RosterFormatError for a malformed
 * file and RosterRejectedError when rows are bad and skipBad is off; in both cases the store is
 * untouched.
 */
export function importRoster(
  store: Store,
  input: string | Uint8Array,
  options: ImportOptions = {},
): ImportSummary {
  const parsed = parseRoster(input, {
    entrances: listEntrances(store),
    ...(options.mapping ? { mapping: options.mapping } : {}),
  });
  const summary: ImportSummary = {
    rows: parsed.rows.length + parsed.errors.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    errors: [...parsed.errors],
    columns: parsed.columns,
  };
  if (summary.errors.length > 0 && !options.skipBad) {
    throw new RosterRejectedError(sortByLine(summary.errors));
  }
  store.write(() => {
    const updatedAt = store.now(); // one time for the whole import
    for (const row of parsed.rows) {
      const id = guestIdForRegistration(row.registrationId);
      const holder = getGuestByRegistrationId(store, row.registrationId);
      if (holder && holder.id !== id) {
        summary.errors.push(registrationConflict(row, holder.id));
        continue;
      }
      // The id derives from the registration id, so the holder (if any) is this very guest.
      const existing = holder;
      if (!existing && getTombstone(store, 'guest', id)) {
        summary.deleted++; // deleted means deleted: re-create them by hand if that was a mistake
        continue;
      }
      const { result } = saveGuest(store, mergeRosterRow(row, id, existing), {
        staffId: options.staffId ?? null,
        audit: false,
        existing,
        updatedAt,
        registrationChecked: true,
      });
      summary[result]++;
    }
    if (summary.errors.length > parsed.errors.length && !options.skipBad) {
      throw new RosterRejectedError(sortByLine(summary.errors)); // rolls the transaction back
    }
    if (summary.inserted + summary.updated > 0) {
      audit(store, 'roster.import', {
        staffId: options.staffId ?? null,
        subject: options.sourceName ?? null,
        detail: importCounts(summary),
      });
    }
  });
  summary.errors = sortByLine(summary.errors);
  return summary;
}

function sortByLine(errors: RosterRowError[]): RosterRowError[] {
  return [...errors].sort((a, b) => a.line - b.line);
}
