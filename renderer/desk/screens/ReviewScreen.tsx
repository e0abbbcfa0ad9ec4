// The result before saving. A look-alike (the new face already matches another guest) needs
// staff to confirm they checked both before Save is allowed.
import { useState } from 'react';
import type { DeskTranslate } from '../i18n';
import type { ReviewView } from '../types';

export function ReviewScreen(props: {
  t: DeskTranslate;
  review: ReviewView;
  onSave: (confirmLookalikes: boolean) => void;
  onRetake: () => void;
  onCancel: () => void;
}) {
  const { t, review } = props;
  const [confirmed, setConfirmed] = useState(false);
  const hasLookalikes = review.lookalikes.length > 0;
  return (
    <section className="desk-panel" data-screen="desk-review">
      <h1>{t('review.heading')}</h1>
      <p className="desk-name">{review.guest.name}</p>
      <p data-testid="review-frames">
        {t('review.frames', {
          count: review.frames.length,
          yaw: Math.round(review.progress.yawSpreadDeg),
          pitch: Math.round(review.progress.pitchSpreadDeg),
        })}
      </p>
      {review.replaces > 0 ? <p>{t('review.replaces', { count: review.replaces })}</p> : null}
      {hasLookalikes ? (
        <div className="desk-warning" role="alert" data-testid="review-lookalike">
          <p>{t('review.lookalike')}</p>
          <ul>
            <li>
              <strong>{review.guest.name}</strong> ({review.guest.registrationId})
            </li>
            {review.lookalikes.map((l) => (
              <li key={l.guest.id} data-testid="review-lookalike-guest" data-guest-id={l.guest.id}>
                {t('review.lookalikeGuest', {
                  name: l.guest.name,
                  registration: l.guest.registrationId,
                  distance: l.distance.toFixed(2),
                })}
              </li>
            ))}
          </ul>
          <label>
            <input
              type="checkbox"
              data-testid="review-confirm"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
            />
            {t('review.confirm')}
          </label>
        </div>
      ) : null}
      <div className="desk-actions">
        <button
          type="button"
          className="button"
          data-testid="review-save"
          disabled={hasLookalikes && !confirmed}
          onClick={() => props.onSave(hasLookalikes && confirmed)}
        >
          {t('review.save')}
        </button>
        <button type="button" className="button secondary" onClick={props.onRetake}>
          {t('review.retake')}
        </button>
        <button type="button" className="button secondary" onClick={props.onCancel}>
          {t('capture.cancel')}
        </button>
      </div>
    </section>
  );
}
