import type { DeskTranslate } from '../i18n';
import type { GuestSummary } from '../types';

export function GuestBadges({ guest, t }: { guest: GuestSummary; t: DeskTranslate }) {
  const faces = guest.templateCount ?? 0;
  return (
    <span className="desk-badges">
      <span className={`badge consent-${guest.consent}`}>{t(`consent.${guest.consent}`)}</span>
      <span className={faces > 0 ? 'badge ok' : 'badge'} data-testid="badge-faces">
        {faces > 0 ? t('badge.enrolled', { count: faces }) : t('badge.notEnrolled')}
      </span>
      {guest.checkedIn ? <span className="badge ok">{t('badge.checkedIn')}</span> : null}
      {guest.revoked ? <span className="badge danger">{t('badge.revoked')}</span> : null}
    </span>
  );
}
