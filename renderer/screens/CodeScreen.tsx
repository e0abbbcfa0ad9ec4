// Fallback: check in by registration number (typed, or scanned by a keyboard-wedge QR reader).
import { useState } from 'react';
import type { Translate } from '../i18n';

export function CodeScreen(props: {
  t: Translate;
  onSubmit: (code: string) => Promise<string | null>;
  onCancel: () => void;
}) {
  const { t } = props;
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="code-screen" data-screen="code" aria-labelledby="codet">
      <h1 id="codet" className="headline">
        {t('code.title')}
      </h1>
      <p className="sub">{t('code.hint')}</p>
      <form
        className="code-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!code.trim()) return setError(t('code.invalid'));
          setBusy(true);
          void props.onSubmit(code.trim()).then((message) => {
            setBusy(false);
            setError(message);
          });
        }}
      >
        <label htmlFor="code-input" className="sr-only">
          {t('code.label')}
        </label>
        <input
          id="code-input"
          className="code-input"
          value={code}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          onChange={(event) => setCode(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'code-error' : undefined}
        />
        {error ? (
          <p id="code-error" className="code-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="actions">
          <button type="button" className="button" onClick={props.onCancel}>
            {t('code.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('code.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
