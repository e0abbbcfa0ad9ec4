// PIN entry: who is at the desk, and the staff PIN. Wrong tries and the lock are explained.
import { useState, type FormEvent } from 'react';
import type { DeskTranslate } from '../i18n';
import type { DeskClient, SessionInfo } from '../types';

export function PinScreen(props: {
  desk: DeskClient;
  t: DeskTranslate;
  notice: string | null;
  onLogin: (token: string, session: SessionInfo) => void;
  onBack: (() => void) | null;
}) {
  const { desk, t } = props;
  const [staffId, setStaffId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const out = await desk.staffLogin({ pin, staffId: staffId.trim() });
    setBusy(false);
    setPin('');
    if (out.ok) return props.onLogin(out.value.token, out.value.session);
    const details = out.error.details ?? {};
    if (out.error.code === 'pin_wrong')
      setError(t('pin.wrong', { tries: Number(details.triesLeft ?? 0) }));
    else if (out.error.code === 'pin_locked')
      setError(t('pin.locked', { minutes: Math.ceil(Number(details.retryAfterMs ?? 0) / 60_000) }));
    else if (out.error.code === 'pin_not_set') setError(t('pin.notSet'));
    else if (out.error.code === 'invalid_input' || out.error.code === 'bad_staff_id')
      setError(t('pin.badStaffId'));
    else setError(t('error.generic', { message: out.error.message }));
  }

  return (
    <form className="desk-panel desk-pin" onSubmit={(e) => void submit(e)} data-screen="desk-pin">
      <h1>{t('pin.heading')}</h1>
      {props.notice ? (
        <p className="desk-notice" data-testid="desk-notice">
          {props.notice}
        </p>
      ) : null}
      <label>
        {t('pin.staffId')}
        <input
          data-testid="pin-staff"
          value={staffId}
          autoComplete="off"
          onChange={(e) => setStaffId(e.target.value)}
          required
        />
      </label>
      <label>
        {t('pin.pin')}
        <input
          data-testid="pin-input"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          required
        />
      </label>
      {error ? (
        <p className="desk-error" role="alert" data-testid="pin-error">
          {error}
        </p>
      ) : null}
      <div className="desk-actions">
        <button type="submit" className="button" disabled={busy} data-testid="pin-submit">
          {t('pin.submit')}
        </button>
        {props.onBack ? (
          <button type="button" className="button secondary" onClick={props.onBack}>
            {t('pin.back')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
