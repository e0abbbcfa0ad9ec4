// v3: kiosk settings (kiosk id, entrance, thresholds) and the audit log of staff actions.
// The audit log never holds biometric data: subjects are ids, details are small JSON objects.
export const sql = /* sql */ `
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  staff_id TEXT,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
`;
