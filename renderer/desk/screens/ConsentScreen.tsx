// Shown to the guest before any capture: what is stored, for how long, how to withdraw.
import type { DeskTranslate } from '../i18n';

export function ConsentScreen(props: {
  t: DeskTranslate;
  guestName: string;
  retentionDays: number;
  onAgree: () => void;
  onDecline: () => void;
}) {
  const { t } = props;
  return (
    <section className="desk-panel desk-consent" data-screen="desk-consent">
      <h1>{t('consent.heading')}</h1>
      <p className="desk-name">{props.guestName}</p>
      <ul>
        <li>{t('consent.stored')}</li>
        <li>{t('consent.purpose')}</li>
        <li>{t('consent.retention', { days: props.retentionDays })}</li>
        <li>{t('consent.withdrawHow')}</li>
      </ul>
      <div className="desk-actions">
        <button
          type="button"
          className="button"
          data-testid="consent-agree"
          onClick={props.onAgree}
        >
          {t('consent.agree')}
        </button>
        <button type="button" className="button secondary" onClick={props.onDecline}>
          {t('consent.decline')}
        </button>
      </div>
    </section>
  );
}
