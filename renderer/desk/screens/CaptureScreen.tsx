// The camera view during enrolment: frames go to the desk one at a time; the answer says what
// the guest should do next, and the capture moves to review once enough good, varied frames are in.
import { useEffect, useRef, useState } from 'react';
import { CameraError, FrameGrabber, openCamera } from '../../camera';
import type { DeskTranslate } from '../i18n';
import type { CaptureProgress, FrameFeedback, StaffOutcome } from '../types';

const FRAME_WIDTH = 480;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function guidanceText(t: DeskTranslate, feedback: FrameFeedback | null): string {
  if (!feedback) return t('capture.heading');
  if (feedback.refusal === 'several_faces') return t('capture.several_faces');
  if (feedback.refusal !== null && feedback.qualityReasons.length > 0) {
    return [...new Set(feedback.qualityReasons)]
      .map((reason) => t(`reason.${reason}` as Parameters<DeskTranslate>[0]))
      .join(' · ');
  }
  if (feedback.refusal === 'no_face') return t('capture.no_face');
  return t(`capture.hint.${feedback.progress.hint}`);
}

export function CaptureScreen(props: {
  t: DeskTranslate;
  guestName: string;
  initial: CaptureProgress;
  addFrame: (frame: {
    format: 'rgba';
    width: number;
    height: number;
    data: Uint8Array<ArrayBuffer>;
  }) => Promise<StaffOutcome<FrameFeedback>>;
  onComplete: () => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [feedback, setFeedback] = useState<FrameFeedback | null>(null);
  const [cameraError, setCameraError] = useState<string | null>(null);
  const progress = feedback?.progress ?? props.initial;
  const done = useRef(false);

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    const grabber = new FrameGrabber();
    void (async () => {
      try {
        stream = await openCamera();
      } catch (error) {
        setCameraError(error instanceof CameraError ? error.problem : 'failed');
        return;
      }
      const video = videoRef.current;
      if (!video || stopped) return;
      video.srcObject = stream;
      await video.play().catch(() => {});
      while (!stopped && !done.current) {
        const frame = grabber.grab(video, FRAME_WIDTH);
        if (!frame) {
          await sleep(50);
          continue;
        }
        const out = await props.addFrame(frame);
        if (stopped) return;
        if (!out.ok) {
          await sleep(out.error.code === 'busy' ? 20 : 250);
          continue;
        }
        setFeedback(out.value);
        if (out.value.progress.complete) {
          done.current = true;
          props.onComplete();
          return;
        }
        await sleep(120);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((track) => track.stop());
    };
    // The loop runs once per capture screen.
  }, []);

  const warn = feedback !== null && !feedback.accepted;
  return (
    <section className="desk-panel desk-capture" data-screen="desk-capture">
      <h1>{props.guestName}</h1>
      <video ref={videoRef} className="desk-video" muted playsInline />
      <p
        className={warn ? 'guidance warn' : 'guidance ok'}
        data-testid="capture-guidance"
        aria-live="polite"
      >
        {cameraError ? t('error.generic', { message: cameraError }) : guidanceText(t, feedback)}
      </p>
      <p data-testid="capture-progress">
        {t('capture.progress', {
          good: Math.min(progress.goodFrames, progress.framesNeeded),
          needed: progress.framesNeeded,
        })}
      </p>
      <progress
        max={progress.framesNeeded}
        value={Math.min(progress.goodFrames, progress.framesNeeded)}
      />
      <div className="desk-actions">
        <button type="button" className="button secondary" onClick={props.onCancel}>
          {t('capture.cancel')}
        </button>
      </div>
    </section>
  );
}
