// Staff mode: PIN → search → guest card → consent → capture → review, plus the audit log.
// The desk's session is the source of truth: any call answered with session_expired or
// session_invalid ends staff mode here too (back to the PIN, or to the kiosk screen).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { deskTranslator, type DeskMessageKey } from './i18n';
import { AuditScreen } from './screens/AuditScreen';
import { CaptureScreen } from './screens/CaptureScreen';
import { ConsentScreen } from './screens/ConsentScreen';
import { GuestCardScreen } from './screens/GuestCardScreen';
import { PinScreen } from './screens/PinScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { SearchScreen } from './screens/SearchScreen';
import type {
  AuditEntry,
  CaptureProgress,
  DeskClient,
  GuestCardView,
  ReviewView,
  SessionInfo,
  StaffOutcome,
} from './types';

type View =
  | { screen: 'pin' }
  | { screen: 'search' }
  | { screen: 'guest'; card: GuestCardView }
  | { screen: 'consent'; card: GuestCardView }
  | { screen: 'capture'; card: GuestCardView; captureId: string; progress: CaptureProgress }
  | { screen: 'review'; card: GuestCardView; review: ReviewView }
  | { screen: 'audit'; entries: AuditEntry[] };

const SESSION_POLL_MS = 10_000;

export function DeskApp(props: {
  desk: DeskClient;
  language?: string;
  /** Leave staff mode for the kiosk screen; null when started as a desk (--desk). */
  onExit: (() => void) | null;
}) {
  const { desk } = props;
  const t = useMemo(() => deskTranslator(props.language ?? 'en'), [props.language]);
  const [view, setView] = useState<View>({ screen: 'pin' });
  const [session, setSession] = useState<{ token: string; info: SessionInfo } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [retentionDays, setRetentionDays] = useState(30);
  const [noticeVersion, setNoticeVersion] = useState('');
  const [query, setQuery] = useState('');
  const tokenRef = useRef<string | null>(null);
  tokenRef.current = session?.token ?? null;

  useEffect(() => {
    void desk.staffStatus({}).then((out) => {
      if (!out.ok) return;
      setRetentionDays(out.value.consentNotice.retentionDays);
      setNoticeVersion(out.value.consentNotice.version);
    });
  }, [desk]);

  const endSession = useCallback(
    (why: DeskMessageKey | null) => {
      setSession(null);
      setView({ screen: 'pin' });
      setNotice(why ? t(why) : null);
      if (why && props.onExit) props.onExit();
    },
    [t, props],
  );

  /** Every staff call goes through here: a lost session ends staff mode. */
  const call = useCallback(
    async <T,>(run: (token: string) => Promise<StaffOutcome<T>>): Promise<StaffOutcome<T>> => {
      const token = tokenRef.current;
      if (!token) return { ok: false, error: { code: 'session_invalid', message: 'no session' } };
      const out = await run(token);
      if (
        !out.ok &&
        (out.error.code === 'session_expired' || out.error.code === 'session_invalid')
      ) {
        endSession('session.expired');
      }
      return out;
    },
    [endSession],
  );

  // The desk ends idle sessions by itself; poll so the screen follows even with nobody touching it.
  useEffect(() => {
    if (!session) return;
    const timer = setInterval(() => {
      void call((token) => desk.staffSession({ token }));
    }, SESSION_POLL_MS);
    return () => clearInterval(timer);
  }, [session, desk, call]);

  const search = useCallback(
    (q: string) => call((token) => desk.staffSearch({ token, query: q, limit: 30 })),
    [call, desk],
  );

  async function openGuest(guestId: string) {
    const out = await call((token) => desk.staffGuest({ token, guestId }));
    if (out.ok) setView({ screen: 'guest', card: out.value });
    else setMessage(t('error.generic', { message: out.error.message }));
  }

  async function startCapture(card: GuestCardView) {
    const out = await call((token) => desk.staffStartCapture({ token, guestId: card.guest.id }));
    if (out.ok) {
      setView({
        screen: 'capture',
        card,
        captureId: out.value.captureId,
        progress: out.value.progress,
      });
    } else if (out.error.code === 'consent_required') {
      setView({ screen: 'consent', card });
    } else setMessage(t('error.generic', { message: out.error.message }));
  }

  async function review(card: GuestCardView, captureId: string) {
    const out = await call((token) => desk.staffReview({ token, captureId }));
    if (out.ok) return setView({ screen: 'review', card, review: out.value });
    if (out.error.code === 'inconsistent_faces') setMessage(t('capture.inconsistent'));
    else setMessage(t('error.generic', { message: out.error.message }));
    await call((token) => desk.staffCancelCapture({ token, captureId }));
    await startCapture(card);
  }

  let main: React.ReactNode = null;
  if (view.screen === 'pin' || !session) {
    main = (
      <PinScreen
        desk={desk}
        t={t}
        notice={notice}
        onBack={props.onExit}
        onLogin={(token, info) => {
          setSession({ token, info });
          setNotice(null);
          setView({ screen: 'search' });
        }}
      />
    );
  } else if (view.screen === 'search') {
    main = (
      <SearchScreen
        t={t}
        search={search}
        initialQuery={query}
        onQuery={setQuery}
        onOpen={(id) => void openGuest(id)}
      />
    );
  } else if (view.screen === 'guest') {
    const card = view.card;
    main = (
      <GuestCardScreen
        t={t}
        card={card}
        onBack={() => setView({ screen: 'search' })}
        onEnrol={() =>
          card.guest.consent === 'granted'
            ? void startCapture(card)
            : setView({ screen: 'consent', card })
        }
        onRemoveFace={(templateId) =>
          void call((token) =>
            desk.staffRemoveFace({ token, guestId: card.guest.id, templateId }),
          ).then(() => openGuest(card.guest.id))
        }
        onWithdraw={() =>
          void call((token) => desk.staffWithdrawConsent({ token, guestId: card.guest.id })).then(
            () => openGuest(card.guest.id),
          )
        }
        onManualCheckIn={async () => {
          const out = await call((token) =>
            desk.staffManualCheckIn({ token, guestId: card.guest.id }),
          );
          if (!out.ok) {
            setMessage(t('error.generic', { message: out.error.message }));
            return null;
          }
          return out.value;
        }}
      />
    );
  } else if (view.screen === 'consent') {
    const card = view.card;
    main = (
      <ConsentScreen
        t={t}
        guestName={card.guest.name}
        retentionDays={retentionDays}
        onDecline={() => setView({ screen: 'guest', card })}
        onAgree={() =>
          void call((token) =>
            desk.staffGrantConsent({ token, guestId: card.guest.id, noticeVersion }),
          ).then((out) => {
            if (out.ok)
              void startCapture({ ...card, guest: { ...card.guest, consent: 'granted' } });
            else setMessage(t('error.generic', { message: out.error.message }));
          })
        }
      />
    );
  } else if (view.screen === 'capture') {
    const { card, captureId } = view;
    main = (
      <CaptureScreen
        key={captureId}
        t={t}
        guestName={card.guest.name}
        initial={view.progress}
        addFrame={(frame) => call((token) => desk.staffAddFrame({ token, captureId, frame }))}
        onComplete={() => void review(card, captureId)}
        onCancel={() =>
          void call((token) => desk.staffCancelCapture({ token, captureId })).then(() =>
            setView({ screen: 'guest', card }),
          )
        }
      />
    );
  } else if (view.screen === 'review') {
    const { card, review: result } = view;
    main = (
      <ReviewScreen
        t={t}
        review={result}
        onSave={(confirm) =>
          void call((token) =>
            desk.staffSave({ token, captureId: result.captureId, confirmLookalikes: confirm }),
          ).then((out) => {
            if (out.ok) setMessage(t('review.saved', { count: out.value.templates }));
            else setMessage(t('error.generic', { message: out.error.message }));
            return openGuest(card.guest.id);
          })
        }
        onRetake={() =>
          void call((token) =>
            desk.staffCancelCapture({ token, captureId: result.captureId }),
          ).then(() => startCapture(card))
        }
        onCancel={() =>
          void call((token) =>
            desk.staffCancelCapture({ token, captureId: result.captureId }),
          ).then(() => setView({ screen: 'guest', card }))
        }
      />
    );
  } else if (view.screen === 'audit') {
    main = <AuditScreen t={t} entries={view.entries} />;
  }

  return (
    <div className="desk" data-testid="desk">
      <header className="topbar desk-topbar">
        <span className="event-name">{t('title')}</span>
        {session ? (
          <nav className="desk-nav">
            <span data-testid="desk-staff">
              {t('session.signedInAs', { staffId: session.info.staffId })}
            </span>
            <button
              type="button"
              className="button small"
              onClick={() => setView({ screen: 'search' })}
            >
              {t('nav.search')}
            </button>
            <button
              type="button"
              className="button small"
              data-testid="nav-audit"
              onClick={() =>
                void call((token) => desk.staffAuditLog({ token, limit: 200 })).then((out) => {
                  if (out.ok) setView({ screen: 'audit', entries: out.value.entries });
                })
              }
            >
              {t('nav.audit')}
            </button>
            <button
              type="button"
              className="button small secondary"
              data-testid="desk-logout"
              onClick={() =>
                void call((token) => desk.staffLogout({ token })).then(() => {
                  setSession(null);
                  setView({ screen: 'pin' });
                  props.onExit?.();
                })
              }
            >
              {t('session.logout')}
            </button>
          </nav>
        ) : null}
      </header>
      {message ? (
        <p
          className="desk-message"
          role="status"
          data-testid="desk-message"
          onClick={() => setMessage(null)}
        >
          {message}
        </p>
      ) : null}
      <main className="desk-body">{main}</main>
    </div>
  );
}
