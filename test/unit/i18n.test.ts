// Every translation file has every key of en.json (and no stray ones), with the same
// {placeholders}, and no empty text: a new language is a new JSON file, checked here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../renderer/i18n');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const load = (file: string) =>
  JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
const reference = load('en.json');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it('has English and Simplified Chinese from the start', () => {
    expect(files).toEqual(expect.arrayContaining(['en.json', 'zh-CN.json']));
  });

  it.each(files)('%s has every key, no extra key, the same placeholders, no empty text', (file) => {
    const messages = load(file);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, english] of Object.entries(reference)) {
      const text = messages[key];
      expect(typeof text, `${file} ${key}`).toBe('string');
      expect((text as string).trim(), `${file} ${key}`).not.toBe('');
      expect(placeholders(text as string), `${file} ${key}`).toEqual(
        placeholders(english as string),
      );
    }
  });

  it('names each language in itself for the switcher', () => {
    expect(load('en.json')['language.name']).toBe('English');
    expect(load('zh-CN.json')['language.name']).toBe('简体中文');
  });
});

describe('language matching and messages', async () => {
  const { matchLanguage, translate, availableLanguages } = await import('../../renderer/i18n');

  it('finds every translation file as a language, English first', () => {
    expect(availableLanguages[0]).toBe('en');
    expect(availableLanguages).toEqual(expect.arrayContaining(['en', 'zh-CN']));
  });

  it('matches a guest language tag to the closest UI language', () => {
    expect(matchLanguage('zh-CN')).toBe('zh-CN');
    expect(matchLanguage('zh')).toBe('zh-CN');
    expect(matchLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(matchLanguage('EN-gb')).toBe('en');
    expect(matchLanguage('fr')).toBeNull();
    expect(matchLanguage(null)).toBeNull();
  });

  it('fills placeholders and falls back to English for an unknown language', () => {
    expect(translate('en', 'welcome.where', { entrance: 'North', time: '09:30' })).toBe(
      'North · 09:30',
    );
    expect(translate('xx', 'idle.headline')).toBe('Look at the camera to check in');
    expect(translate('zh-CN', 'idle.headline')).toBe('请看向摄像头签到');
  });
});
