// The answer screens: welcome, already checked in, wrong entrance, not recognised, see staff.
import type { FrameResult, GuestView } from '../../core/api';
import { Icon } from '../components/Icon';
import type { Translate } from '../i18n';

type Terminal = Exclude<FrameResult, { kind: 'no_face' | 'guidance' | 'scanning' }>;

function formatTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit' }).format(date);
}

function GuestCard({ guest, t }: { guest: GuestView; t: Translate }) {
  return (
    <div className="guest">
      <p className="guest-name" data-testid="guest-name" lang={guest.language ?? undefined}>
        {guest.name}
      </p>
      {guest.nameLatin && guest.nameLatin !== guest.name ? (
        <p className="guest-latin">{guest.nameLatin}</p>
      ) : null}
      <p className="guest-meta">
        {guest.organisation ? <span className="guest-org">{guest.organisation}</span> : null}
        <span className={`badge badge-${guest.category}`}>{t(`category.${guest.category}`)}</span>
      </p>
    </div>
  );
}

export function ResultScreen(props: {
  result: Terminal;
  language: string;
  t: Translate;
  onRetry: () => void;
  onCode: () => void;
}) {
  const { result, language, t } = props;
  switch (result.kind) {
    case 'checked_in':
      return (
        <section className="result result-welcome" data-screen="welcome" aria-labelledby="rt">
          <Icon name="check" />
          <h1 id="rt" className="result-title">
            {t('welcome.title')}
          </h1>
          <GuestCard guest={result.guest} t={t} />
          <p className="result-detail">
            {t('welcome.where', {
              entrance: result.entrance.name,
              time: formatTime(result.at, language),
            })}
          </p>
          <p className="result-note">{t('welcome.done')}</p>
        </section>
      );
    case 'already_checked_in':
      return (
        <section className="result result-already" data-screen="already" aria-labelledby="rt">
          <Icon name="check" />
          <h1 id="rt" className="result-title">
            {t('already.title')}
          </h1>
          <GuestCard guest={result.guest} t={t} />
          <p className="result-detail">
            {t('already.detail', {
              time: formatTime(result.firstAt, language),
              entrance: result.firstEntrance?.name ?? result.entrance.name,
            })}
          </p>
          <p className="result-note">{t('already.enjoy')}</p>
        </section>
      );
    case 'not_allowed_here':
      return (
        <section className="result result-redirect" data-screen="not-allowed" aria-labelledby="rt">
          <Icon name="arrow" />
          <h1 id="rt" className="result-title">
            {t('notAllowed.title')}
          </h1>
          <GuestCard guest={result.guest} t={t} />
          <p className="result-detail">
            {t('notAllowed.detail', { entrance: result.entrance.name })}
          </p>
          <ul className="entrance-list">
            {result.allowed.map((e) => (
              <li key={e.id}>{e.name}</li>
            ))}
          </ul>
          <p className="result-note">{t('notAllowed.ask')}</p>
        </section>
      );
    case 'see_staff':
      return (
        <section className="result result-staff" data-screen="see-staff" aria-labelledby="rt">
          <Icon name="alert" />
          <h1 id="rt" className="result-title">
            {t('seeStaff.title')}
          </h1>
          <p className="result-detail">{t('seeStaff.detail')}</p>
        </section>
      );
    case 'not_recognised':
      return (
        <section
          className="result result-unknown"
          data-screen="not-recognised"
          aria-labelledby="rt"
        >
          <Icon name="question" />
          <h1 id="rt" className="result-title">
            {t('notRecognised.title')}
          </h1>
          <p className="result-detail">{t('notRecognised.detail')}</p>
          <div className="actions">
            <button type="button" className="button primary" onClick={props.onRetry}>
              {t('notRecognised.retry')}
            </button>
            <button type="button" className="button" onClick={props.onCode}>
              {t('notRecognised.code')}
            </button>
          </div>
        </section>
      );
  }
}

export type { Terminal };
