// Audit log of staff actions. Subjects are ids and details small JSON objects: never a
// descriptor, never a photo.
import type { Store } from './store';

export type AuditAction =
  | 'guest.upsert'
  | 'guest.delete'
  | 'template.add'
  | 'template.delete'
  | 'checkin.manual'
  | 'roster.import'
  | 'photos.enrol'
  | 'event.set';

export interface AuditEntry {
  id: number;
  at: string;
  staffId: string | null;
  action: AuditAction;
  subject: string | null;
  detail: Record<string, unknown>;
}

export interface AuditInput {
  staffId?: string | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/** The store's own actions. */
export function audit(store: Store, action: AuditAction, entry: AuditInput): void {
  writeAudit(store, action, entry);
}

/**
 * One audit_log row, for an action named by another part of core (the desk has its own list):
 * the statement lives here, the names where they are used.
 */
export function writeAudit(store: Store, action: string, entry: AuditInput): void {
  store.write(() =>
    store
      .stmt('INSERT INTO audit_log (at, staff_id, action, subject, detail) VALUES (?, ?, ?, ?, ?)')
      .run(
        store.now(),
        entry.staffId ?? null,
        action,
        entry.subject ?? null,
        JSON.stringify(entry.detail ?? {}),
      ),
  );
}

export function listAudit(store: Store, limit = 100): AuditEntry[] {
  const rows = store
    .stmt(
      'SELECT id, at, staff_id, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as {
    id: number;
    at: string;
    staff_id: string | null;
    action: AuditAction;
    subject: string | null;
    detail: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    staffId: r.staff_id,
    action: r.action,
    subject: r.subject,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}
