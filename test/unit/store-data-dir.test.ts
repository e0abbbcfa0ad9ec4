import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7, uuidv7Time } from '../../core/ids';
import { DataDirError, resolveDataDir } from '../../core/store/data-dir';

describe('resolveDataDir', () => {
  const home = { HOME: '/home/ana' };

  it('uses the per-OS application data folder by default', () => {
    expect(resolveDataDir([], home, 'linux')).toBe('/home/ana/.local/share/face-checkin-kiosk');
    expect(resolveDataDir([], { ...home, XDG_DATA_HOME: '/data/xdg' }, 'linux')).toBe(
      '/data/xdg/face-checkin-kiosk',
    );
    expect(resolveDataDir([], home, 'darwin')).toBe(
      '/home/ana/Library/Application Support/face-checkin-kiosk',
    );
    expect(resolveDataDir([], { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\face-checkin-kiosk',
    );
    expect(resolveDataDir([], { USERPROFILE: 'C:\\Users\\ana' }, 'win32')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\face-checkin-kiosk',
    );
  });

  it('ignores a relative XDG_DATA_HOME, as the XDG spec says', () => {
    expect(resolveDataDir([], { ...home, XDG_DATA_HOME: 'rel' }, 'linux')).toBe(
      '/home/ana/.local/share/face-checkin-kiosk',
    );
  });

  it('lets KIOSK_DATA_DIR override the default and --data override both', () => {
    const env = { ...home, KIOSK_DATA_DIR: '/srv/kiosk' };
    expect(resolveDataDir([], env, 'linux')).toBe('/srv/kiosk');
    expect(resolveDataDir(['x.csv', '--data', '/mnt/usb/k'], env, 'linux')).toBe('/mnt/usb/k');
    expect(resolveDataDir(['--data=/mnt/k2'], env, 'linux')).toBe('/mnt/k2');
    expect(resolveDataDir(['--data', 'rel/dir'], env, 'linux', '/work')).toBe('/work/rel/dir');
    expect(resolveDataDir(['--data', 'D:\\kiosk'], {}, 'win32')).toBe('D:\\kiosk');
  });

  it('fails clearly when there is nowhere to go', () => {
    expect(() => resolveDataDir(['--data'], home, 'linux')).toThrow(DataDirError);
    expect(() => resolveDataDir(['--data', '--skip-bad'], home, 'linux')).toThrow(/--data DIR/);
    expect(() => resolveDataDir(['--data='], home, 'linux')).toThrow(DataDirError);
    expect(() => resolveDataDir([], {}, 'linux')).toThrow(/HOME is not set/);
    expect(() => resolveDataDir([], {}, 'win32')).toThrow(/APPDATA/);
  });
});

describe('uuidv7', () => {
  it('makes RFC 9562 version-7 ids carrying their millisecond', () => {
    const at = Date.UTC(2026, 10, 30, 9, 15, 0, 123);
    const id = uuidv7(at);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(at);
  });

  it('is strictly increasing within one millisecond and across a clock step back', () => {
    const at = Date.UTC(2030, 0, 1);
    const ids = Array.from({ length: 5000 }, () => uuidv7(at));
    ids.push(uuidv7(at - 60_000));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
