// The staff screens' own translations (en.json is the reference; every file has every key:
// test/unit/desk-ui-i18n.test.ts). Kept apart from the kiosk's renderer/i18n so that folder
// stays one file per language.
import en from './en.json';
import zhCN from './zh-CN.json';

export type DeskMessageKey = keyof typeof en;
type Messages = Record<DeskMessageKey, string>;

export const deskMessages: Record<string, Messages> = { en, 'zh-CN': zhCN };
export const deskLanguages = Object.keys(deskMessages);

export type DeskTranslate = (
  key: DeskMessageKey,
  values?: Record<string, string | number>,
) => string;

export function deskTranslator(language: string): DeskTranslate {
  const messages = deskMessages[language] ?? en;
  return (key, values = {}) =>
    (messages[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
}
