import type { DeskTranslate } from '../i18n';
import type { AuditEntry } from '../types';

export function AuditScreen({ t, entries }: { t: DeskTranslate; entries: AuditEntry[] }) {
  return (
    <section className="desk-panel" data-screen="desk-audit">
      <h1>{t('audit.heading')}</h1>
      <table className="desk-table">
        <thead>
          <tr>
            <th>{t('audit.at')}</th>
            <th>{t('audit.staff')}</th>
            <th>{t('audit.action')}</th>
            <th>{t('audit.subject')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
              <td>{new Date(entry.at).toLocaleString()}</td>
              <td>{entry.staffId ?? '—'}</td>
              <td>{entry.action}</td>
              <td>{entry.subject ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
