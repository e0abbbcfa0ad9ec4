// The desk's entries in the store's audit_log table. Subjects are guest ids; details are small
// JSON objects (counts, reasons, ids): never a descriptor, a photo or a PIN.
// The store writes the row (writeAudit); the desk's action names are kept here.
import { listAudit, writeAudit, type AuditEntry, type Store } from '../store';

export type DeskAuditAction =
  | 'staff.pin_set'
  | 'staff.pin_changed'
  | 'staff.login'
  | 'staff.login_failed'
  | 'staff.locked'
  | 'staff.logout'
  | 'guest.search'
  | 'guest.view'
  | 'consent.grant'
  | 'consent.withdraw'
  | 'enrol.start'
  | 'enrol.save'
  | 'enrol.cancel'
  | 'enrol.lookalike_confirmed'
  | 'face.remove'
  | 'checkin.manual'
  | 'audit.read';

export function deskAudit(
  store: Store,
  action: DeskAuditAction,
  entry: { staffId: string | null; subject?: string | null; detail?: Record<string, unknown> },
): void {
  writeAudit(store, action, entry);
}

export interface AuditView {
  id: number;
  at: string;
  staffId: string | null;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

/** Newest first; `limit` is clamped to 1..1000. */
export function readAudit(store: Store, limit = 100): AuditView[] {
  const n = Math.max(1, Math.min(1000, Math.floor(limit)));
  return listAudit(store, n).map((e: AuditEntry) => ({ ...e, action: String(e.action) }));
}
