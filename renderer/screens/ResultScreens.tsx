// The answer screens: welcome, already checked in, wrong entrance, not recognised, see staff.
import type { FrameResult, GuestView } from '../../core/api';
import type { ReactNode } from 'react';
import { Icon, type IconName } from '../components/Icon';
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

/** The frame every answer screen shares: its tone, its icon, its title, then what it says. */
function Result(props: {
  tone: string;
  screen: string;
  icon: IconName;
  title: string;
  children: ReactNode;
}) {
  return (
    <section
      className={`result result-${props.tone}`}
      data-screen={props.screen}
      aria-labelledby="rt"
    >
      <Icon name={props.icon} />
      <h1 id="rt" className="result-title">
        {props.title}
      </h1>
      {props.children}
    </section>
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
        <Result tone="welcome" screen="welcome" icon="check" title={t('welcome.title')}>
          <GuestCard guest={result.guest} t={t} />
          <p className="result-detail">
            {t('welcome.where', {
              entrance: result.entrance.name,
              time: formatTime(result.at, language),
            })}
          </p>
          <p className="result-note">{t('welcome.done')}</p>
        </Result>
      );
    case 'already_checked_in':
      return (
        <Result tone="already" screen="already" icon="check" title={t('already.title')}>
          <GuestCard guest={result.guest} t={t} />
          <p className="result-detail">
            {t('already.detail', {
              time: formatTime(result.firstAt, language),
              entrance: result.firstEntrance?.name ?? result.entrance.name,
            })}
          </p>
          <p className="result-note">{t('already.enjoy')}</p>
        </Result>
      );
    case 'not_allowed_here':
      return (
        <Result tone="redirect" screen="not-allowed" icon="arrow" title={t('notAllowed.title')}>
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
        </Result>
      );
    case 'see_staff':
      return (
        <Result tone="staff" screen="see-staff" icon="alert" title={t('seeStaff.title')}>
          <p className="result-detail">{t('seeStaff.detail')}</p>
        </Result>
      );
    case 'not_recognised':
      return (
        <Result
          tone="unknown"
          screen="not-recognised"
          icon="question"
          title={t('notRecognised.title')}
        >
          <p className="result-detail">{t('notRecognised.detail')}</p>
          <div className="actions">
            <button type="button" className="button primary" onClick={props.onRetry}>
              {t('notRecognised.retry')}
            </button>
            <button type="button" className="button" onClick={props.onCode}>
              {t('notRecognised.code')}
            </button>
          </div>
        </Result>
      );
  }
}

export type { Terminal };
