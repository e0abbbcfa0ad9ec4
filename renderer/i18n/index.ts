// Translations: one plain JSON file per language in this folder (en.json is the reference).
// Adding a language is adding a file; test/unit/i18n.test.ts checks every key is in every file.
import en from './en.json';

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const files = import.meta.glob<{ default: Messages }>('./*.json', { eager: true });

export const messagesByLanguage: Record<string, Messages> = Object.fromEntries(
  Object.entries(files).map(([path, mod]) => [path.replace(/^\.\/(.*)\.json$/, '$1'), mod.default]),
);

export const availableLanguages = Object.keys(messagesByLanguage).sort((a, b) =>
  a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b),
);

/** Best available UI language for a BCP 47 tag ("zh", "zh-Hans-CN" → "zh-CN"), or null. */
export function matchLanguage(tag: string | null | undefined, available = availableLanguages) {
  if (!tag) return null;
  const wanted = tag.toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const base = wanted.split(/[-_]/)[0];
  return available.find((l) => l.toLowerCase().split('-')[0] === base) ?? null;
}

/** Message for `key` in `language`, with {placeholders} filled in; falls back to English. */
export function translate(
  language: string,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  const template = messagesByLanguage[language]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: string): Translate {
  return (key, values) => translate(language, key, values);
}
