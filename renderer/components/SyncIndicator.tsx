// A small, quiet note in the top bar for staff: is this kiosk reaching the event hub, and how many
// local changes wait to go. Nothing shows on a kiosk that is not paired with a hub.
import type { SyncView } from '../../core/api';
import type { Translate } from '../i18n';

const labelKey = {
  connecting: 'sync.connecting',
  online: 'sync.online',
  offline: 'sync.offline',
  error: 'sync.error',
} as const;

function clockTime(iso: string, language: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime())
    ? iso
    : at.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
}

export function SyncIndicator({
  sync,
  language,
  t,
}: {
  sync: SyncView;
  language: string;
  t: Translate;
}) {
  if (sync.state === 'unpaired') return null;
  const detail = sync.lastSyncAt
    ? t('sync.lastSync', { time: clockTime(sync.lastSyncAt, language) })
    : t('sync.never');
  return (
    <div
      className={`sync sync-${sync.state}`}
      role="status"
      aria-label={t('sync.label')}
      title={detail}
      data-testid="sync"
      data-sync-state={sync.state}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-text">{t(labelKey[sync.state])}</span>
      {sync.waiting > 0 ? (
        <span className="sync-waiting">{t('sync.waiting', { count: sync.waiting })}</span>
      ) : null}
    </div>
  );
}
