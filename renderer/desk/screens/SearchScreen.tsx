// Find a guest as you type: name as written or transliterated, organisation, registration number.
import { useEffect, useState } from 'react';
import type { DeskTranslate } from '../i18n';
import type { GuestSummary, StaffOutcome } from '../types';
import { GuestBadges } from './GuestBadges';

export function SearchScreen(props: {
  t: DeskTranslate;
  search: (query: string) => Promise<StaffOutcome<{ hits: GuestSummary[]; total: number }>>;
  onOpen: (guestId: string) => void;
  initialQuery: string;
  onQuery: (query: string) => void;
}) {
  const { t, search } = props;
  const [query, setQuery] = useState(props.initialQuery);
  const [result, setResult] = useState<{ hits: GuestSummary[]; total: number } | null>(null);

  useEffect(() => {
    props.onQuery(query);
    if (query.trim().length === 0) {
      setResult(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      void search(query).then((out) => {
        if (stale) return;
        if (out.ok) setResult(out.value);
        else if (out.error.code === 'bad_query') setResult({ hits: [], total: 0 });
      });
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query, search]);

  return (
    <section className="desk-panel" data-screen="desk-search">
      <input
        className="desk-search"
        data-testid="search-input"
        autoFocus
        placeholder={t('search.placeholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {result && result.hits.length === 0 ? <p>{t('search.none')}</p> : null}
      {result && result.hits.length > 0 ? (
        <>
          <p className="desk-muted">
            {t('search.count', { shown: result.hits.length, total: result.total })}
          </p>
          <ul className="desk-list">
            {result.hits.map((guest) => (
              <li key={guest.id} data-testid="search-result" data-guest-id={guest.id}>
                <button type="button" className="desk-row" onClick={() => props.onOpen(guest.id)}>
                  <span className="desk-name">{guest.name}</span>
                  {guest.nameLatin ? <span className="desk-latin">{guest.nameLatin}</span> : null}
                  <span className="desk-muted">
                    {guest.registrationId}
                    {guest.organisation ? ` · ${guest.organisation}` : ''}
                  </span>
                  <GuestBadges guest={guest} t={t} />
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
