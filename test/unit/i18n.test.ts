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
