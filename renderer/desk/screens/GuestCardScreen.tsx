// One guest: who they are, their consent, their stored faces, and what staff can do about them.
import { useState } from 'react';
import type { DeskTranslate } from '../i18n';
import type { GuestCardView, ManualCheckInView } from '../types';
import { GuestBadges } from './GuestBadges';

export function GuestCardScreen(props: {
  t: DeskTranslate;
  card: GuestCardView;
  onBack: () => void;
  onEnrol: () => void;
  onRemoveFace: (templateId: string | null) => void;
  onWithdraw: () => void;
  onManualCheckIn: () => Promise<ManualCheckInView | null>;
}) {
  const { t, card } = props;
  const { guest } = card;
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [manual, setManual] = useState<string | null>(null);
  const summary = {
    ...guest,
    templateCount: card.templates.length,
    checkedIn: card.checkIns.length > 0,
  };

  async function manualCheckIn() {
    const answer = await props.onManualCheckIn();
    if (!answer) return;
    setManual(
      answer.kind === 'checked_in'
        ? t('manual.checked_in', { entrance: answer.entrance.name })
        : answer.kind === 'welcome_back'
          ? t('manual.welcome_back', { at: new Date(answer.firstAt ?? answer.at).toLocaleString() })
          : t(`manual.${answer.kind}`),
    );
  }

  return (
    <section className="desk-panel" data-screen="desk-guest" data-guest-id={guest.id}>
      <button type="button" className="button secondary" onClick={props.onBack}>
        {t('card.back')}
      </button>
      <h1 className="desk-name">{guest.name}</h1>
      {guest.nameLatin ? <p className="desk-latin">{guest.nameLatin}</p> : null}
      <p>
        {t('card.registration')}: {guest.registrationId}
        {guest.organisation ? ` · ${t('card.organisation')}: ${guest.organisation}` : ''}
      </p>
      <GuestBadges guest={summary} t={t} />

      <h2>{t('card.faces')}</h2>
      {card.templates.length === 0 ? (
        <p data-testid="card-no-faces">{t('card.noFaces')}</p>
      ) : (
        <ul className="desk-list" data-testid="card-faces">
          {card.templates.map((template) => (
            <li key={template.id} data-testid="card-face">
              {new Date(template.createdAt).toLocaleString()} · {template.source}
              <button
                type="button"
                className="button small secondary"
                onClick={() => props.onRemoveFace(template.id)}
              >
                {t('card.removeFace')}
              </button>
            </li>
          ))}
        </ul>
      )}

      <div className="desk-actions">
        {!guest.revoked && guest.consent !== 'withdrawn' ? (
          <button type="button" className="button" data-testid="card-enrol" onClick={props.onEnrol}>
            {card.templates.length > 0 ? t('card.reenrol') : t('card.enrol')}
          </button>
        ) : null}
        {card.templates.length > 0 ? (
          <button
            type="button"
            className="button secondary"
            onClick={() => props.onRemoveFace(null)}
          >
            {t('card.removeAll')}
          </button>
        ) : null}
        <button
          type="button"
          className="button secondary"
          data-testid="card-manual"
          onClick={() => void manualCheckIn()}
        >
          {t('card.manual')}
        </button>
        {guest.consent !== 'withdrawn' || card.templates.length > 0 ? (
          <button
            type="button"
            className="button danger"
            data-testid="card-withdraw"
            onClick={() => setConfirmWithdraw(true)}
          >
            {t('card.withdraw')}
          </button>
        ) : null}
      </div>
      {manual ? (
        <p role="status" data-testid="manual-result">
          {manual}
        </p>
      ) : null}
      {confirmWithdraw ? (
        <div className="desk-confirm" role="alertdialog">
          <p>{t('card.withdrawConfirm')}</p>
          <button
            type="button"
            className="button danger"
            data-testid="card-withdraw-confirm"
            onClick={() => {
              setConfirmWithdraw(false);
              props.onWithdraw();
            }}
          >
            {t('card.withdraw')}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => setConfirmWithdraw(false)}
          >
            {t('card.back')}
          </button>
        </div>
      ) : null}

      <h2>{t('card.history')}</h2>
      <ul className="desk-list desk-small">
        {card.history.slice(0, 20).map((entry) => (
          <li key={entry.id}>
            {new Date(entry.at).toLocaleString()} · {entry.staffId ?? '—'} · {entry.action}
          </li>
        ))}
      </ul>
    </section>
  );
}
