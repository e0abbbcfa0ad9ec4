import { messagesByLanguage } from '../i18n';

export function LanguageSwitch(props: {
  languages: string[];
  current: string;
  label: string;
  onChange: (language: string) => void;
}) {
  if (props.languages.length < 2) return null;
  return (
    <nav className="languages" aria-label={props.label}>
      {props.languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className={language === props.current ? 'lang active' : 'lang'}
          aria-pressed={language === props.current}
          data-language={language}
          onClick={() => props.onChange(language)}
        >
          {messagesByLanguage[language]?.['language.name'] ?? language}
        </button>
      ))}
    </nav>
  );
}
