// The kiosk screen: idle → live (guidance, scanning) → an answer → back to idle.
// Frames go to core one at a time: the next frame is grabbed only when the previous answer is in,
// so a slow machine skips frames instead of queueing them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FrameResult, Guidance, KioskApi, KioskStatus } from '../core/api';
import { CameraError, FrameGrabber, openCamera, type CameraProblem } from './camera';
import { StaffButton } from './desk/entry';
import { CameraStage, type Outline } from './components/CameraStage';
import { LanguageSwitch } from './components/LanguageSwitch';
import { SyncIndicator } from './components/SyncIndicator';
import { availableLanguages, matchLanguage, translator } from './i18n';
import { CameraProblemScreen } from './screens/CameraProblemScreen';
import { CodeScreen } from './screens/CodeScreen';
import { ResultScreen, type Terminal } from './screens/ResultScreens';

type View =
  | { screen: 'idle' }
  | {
      screen: 'live';
      faces: Outline[];
      guidance: Guidance[];
      frame: { width: number; height: number };
    }
  | { screen: 'result'; result: Terminal }
  | { screen: 'code' };

type CameraState = 'starting' | 'on' | CameraProblem;

const CAMERA_RETRY_MS = 4000;
const LANGUAGE_RESET_MS = 60_000;
/** Status polling: quick while the kiosk gets ready, then slow (it only refreshes the sync note). */
const STATUS_POLL_MS = 1000;
const STATUS_REFRESH_MS = 5000;

function isTerminal(result: FrameResult): result is Terminal {
  return result.kind !== 'no_face' && result.kind !== 'guidance' && result.kind !== 'scanning';
}

const resultTitle = {
  checked_in: 'welcome.title',
  already_checked_in: 'already.title',
  not_allowed_here: 'notAllowed.title',
  see_staff: 'seeStaff.title',
  not_recognised: 'notRecognised.title',
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function App({ kiosk }: { kiosk: KioskApi }) {
  const [status, setStatus] = useState<KioskStatus | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [language, setLanguage] = useState<string>('en');
  const [camera, setCamera] = useState<CameraState>('starting');
  const [view, setView] = useState<View>({ screen: 'idle' });
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  const languages = useMemo(() => {
    const wanted = (status?.languages ?? ['en', 'zh-CN'])
      .map((l) => matchLanguage(l))
      .filter((l): l is string => l !== null);
    const unique = [...new Set(wanted)];
    return unique.length ? unique : availableLanguages;
  }, [status]);
  const t = useMemo(() => translator(language), [language]);

  // Status: which event, which entrance, is the engine ready (polled quickly until it is), and
  // the hub sync (refreshed every few seconds after that).
  useEffect(() => {
    let stopped = false;
    void (async () => {
      let first = true;
      while (!stopped) {
        const out = await kiosk.getStatus({});
        if (stopped) return;
        if (!out.ok) {
          setFatal(out.error.message);
        } else {
          setFatal(null);
          // Keep the same object when nothing changed, so the periodic refresh re-renders nothing.
          const next = out.value;
          setStatus((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
          if (first) {
            first = false;
            setLanguage(matchLanguage(out.value.languages[0]) ?? 'en');
          }
        }
        await sleep(out.ok && out.value.ready ? STATUS_REFRESH_MS : STATUS_POLL_MS);
      }
    })();
    return () => {
      stopped = true;
    };
  }, [kiosk]);

  // Camera: open it, keep retrying while it is missing (a staff member may plug one in).
  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    void (async () => {
      while (!stopped) {
        try {
          stream = await openCamera();
          if (stopped) break;
          const video = videoRef.current;
          if (video) {
            video.srcObject = stream;
            await video.play().catch(() => {});
          }
          setCamera('on');
          const [track] = stream.getVideoTracks();
          await new Promise<void>((resolve) => track?.addEventListener('ended', () => resolve()));
          if (!stopped) setCamera('failed');
        } catch (error) {
          setCamera(error instanceof CameraError ? error.problem : 'failed');
        }
        await sleep(CAMERA_RETRY_MS);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  // A guest may switch the language; after a quiet minute the kiosk returns to the event's own.
  const defaultLanguage = languages[0] ?? 'en';
  useEffect(() => {
    if (language === defaultLanguage || view.screen !== 'idle') return;
    const timer = setTimeout(() => setLanguage(defaultLanguage), LANGUAGE_RESET_MS);
    return () => clearTimeout(timer);
  }, [language, defaultLanguage, view.screen]);

  const backToIdle = useCallback(() => {
    void kiosk.resetSession({});
    setView({ screen: 'idle' });
  }, [kiosk]);

  // The frame loop: one frame in flight at most; paused while an answer or the code form shows.
  const ready = status?.ready === true && camera === 'on';
  const frameWidth = status?.frameWidth ?? 400;
  useEffect(() => {
    if (!ready) return;
    let stopped = false;
    const grabber = new FrameGrabber();
    void (async () => {
      while (!stopped) {
        const current = viewRef.current.screen;
        const video = videoRef.current;
        if ((current !== 'idle' && current !== 'live') || !video) {
          await sleep(100);
          continue;
        }
        const frame = grabber.grab(video, frameWidth);
        if (!frame) {
          await sleep(50);
          continue;
        }
        const out = await kiosk.submitFrame({ frame });
        if (stopped) return;
        const screenNow = viewRef.current.screen;
        if (screenNow !== 'idle' && screenNow !== 'live') continue;
        if (!out.ok) {
          // busy: another frame is still in core; not_ready: engine loading. Try the next frame.
          await sleep(out.error.code === 'busy' ? 20 : 250);
          continue;
        }
        const result = out.value;
        const size = { width: frame.width, height: frame.height };
        if (result.kind === 'no_face') setView({ screen: 'idle' });
        else if (result.kind === 'guidance')
          setView({ screen: 'live', faces: result.faces, guidance: result.guidance, frame: size });
        else if (result.kind === 'scanning')
          setView({ screen: 'live', faces: result.faces, guidance: [], frame: size });
        else if (isTerminal(result)) setView({ screen: 'result', result });
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [ready, kiosk, frameWidth]);

  // An answer clears itself after a few seconds (not-recognised waits for a tap a little longer).
  const resultMs = status?.resultMs ?? 5000;
  useEffect(() => {
    if (view.screen !== 'result') return;
    const ms = view.result.kind === 'not_recognised' ? resultMs * 2 : resultMs;
    const timer = setTimeout(backToIdle, ms);
    return () => clearTimeout(timer);
  }, [view, resultMs, backToIdle]);

  const submitCode = useCallback(
    async (code: string) => {
      const out = await kiosk.checkInByCode({ code });
      if (out.ok) {
        if (isTerminal(out.value)) {
          setView({ screen: 'result', result: out.value });
          return null;
        }
        return t('code.unknown');
      }
      if (out.error.code === 'unknown_code') return t('code.unknown');
      if (out.error.code === 'invalid_input') return t('code.invalid');
      return t('error.kiosk');
    },
    [kiosk, t],
  );

  // The answer speaks the guest's language where we know it.
  const resultLanguage =
    view.screen === 'result' && 'guest' in view.result
      ? (matchLanguage(view.result.guest.language, languages) ?? language)
      : language;
  const tr = useMemo(() => translator(resultLanguage), [resultLanguage]);

  const cameraProblem = camera !== 'on' && camera !== 'starting' ? camera : null;
  const showStage = !cameraProblem && (view.screen === 'idle' || view.screen === 'live');
  const secondLanguages = languages.filter((l) => l !== language);

  let main: React.ReactNode;
  let announcement = '';
  if (fatal && !status) {
    main = <p className="headline">{t('error.kiosk')}</p>;
    announcement = t('error.kiosk');
  } else if (cameraProblem) {
    main = <CameraProblemScreen problem={cameraProblem} t={t} />;
    announcement = t(`camera.${cameraProblem}.title`);
  } else if (view.screen === 'result') {
    main = (
      <ResultScreen
        result={view.result}
        language={resultLanguage}
        t={tr}
        onRetry={backToIdle}
        onCode={() => setView({ screen: 'code' })}
      />
    );
    announcement =
      view.result.kind === 'checked_in'
        ? `${tr('welcome.title')} ${view.result.guest.name}`
        : tr(resultTitle[view.result.kind]);
  } else if (view.screen === 'code') {
    main = <CodeScreen t={t} onSubmit={submitCode} onCancel={backToIdle} />;
  } else if (view.screen === 'live') {
    const message = view.guidance.length
      ? view.guidance.map((g) => t(`guidance.${g}`)).join(' · ')
      : t('live.scanning');
    main = (
      <div className="prompt" data-screen="live">
        <p
          className={view.guidance.length ? 'guidance warn' : 'guidance ok'}
          data-testid="guidance"
        >
          {message}
        </p>
      </div>
    );
    announcement = message;
  } else {
    main = (
      <div className="prompt" data-screen="idle">
        <h1 className="headline">
          {status?.ready === false ? t('app.notReady') : t('idle.headline')}
        </h1>
        {secondLanguages.map((l) => (
          <p key={l} className="headline-alt" lang={l}>
            {translator(l)('idle.headline')}
          </p>
        ))}
        <p className="sub">{t('idle.sub')}</p>
      </div>
    );
  }

  return (
    <div className={`kiosk screen-${cameraProblem ? 'camera' : view.screen}`} lang={resultLanguage}>
      <header className="topbar">
        <div className="place">
          <span className="event-name">{status?.event?.name ?? t('app.title')}</span>
          {status?.entrance ? <span className="entrance-name">{status.entrance.name}</span> : null}
        </div>
        {status ? <SyncIndicator sync={status.sync} language={language} t={t} /> : null}
        <LanguageSwitch
          languages={languages}
          current={language}
          label={t('language.switch')}
          onChange={setLanguage}
        />
      </header>
      <main className="body">
        {main}
        <StaffButton label={t('staff.button')} />
        <CameraStage
          videoRef={videoRef}
          frame={view.screen === 'live' ? view.frame : null}
          faces={view.screen === 'live' ? view.faces : []}
          label={t('live.label')}
          hidden={!showStage}
        />
        {showStage ? (
          <button
            type="button"
            className="button code-button"
            onClick={() => setView({ screen: 'code' })}
          >
            {t('idle.codeButton')}
          </button>
        ) : null}
      </main>
      <div className="sr-only" aria-live="assertive" aria-atomic="true" data-testid="announce">
        {announcement}
      </div>
    </div>
  );
}
