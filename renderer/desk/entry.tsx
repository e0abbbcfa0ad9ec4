// How staff mode is reached: from the kiosk screen (StaffButton → ?mode=staff, which asks for the
// PIN and returns to the kiosk when left or idle), or started directly as a desk (?mode=desk,
// what `--desk` opens), which stays on the PIN screen between staff members.
import { DeskApp } from './DeskApp';
import { deskClient } from './desk-client';
import './desk.css';

export type DeskMode = 'staff' | 'desk' | null;

export function deskMode(search: string = window.location.search): DeskMode {
  const mode = new URLSearchParams(search).get('mode');
  return mode === 'staff' || mode === 'desk' ? mode : null;
}

function backToKiosk() {
  const url = new URL(window.location.href);
  url.searchParams.delete('mode');
  window.location.assign(url.pathname + url.search);
}

/** The root for staff mode; main.tsx renders it instead of <App> when deskMode() is set. */
export function DeskRoot({ mode, language }: { mode: Exclude<DeskMode, null>; language?: string }) {
  return (
    <DeskApp
      desk={deskClient()}
      language={language ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en')}
      onExit={mode === 'staff' ? backToKiosk : null}
    />
  );
}

/** A discreet button for the kiosk screen that opens staff mode (the PIN is asked there). */
export function StaffButton({ label = 'Staff' }: { label?: string }) {
  return (
    <button
      type="button"
      className="staff-button"
      data-testid="staff-button"
      onClick={() => {
        const url = new URL(window.location.href);
        url.searchParams.set('mode', 'staff');
        window.location.assign(url.pathname + url.search);
      }}
    >
      {label}
    </button>
  );
}
