// The dashboard in real Chromium against a real hub: the login form, live data (devices with
// backlog, check-ins, pairing codes), revocation, auto-refresh, and no CSP violation.
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubAdmin, push } from '../fixtures/sync/hub-client';
import { startHub } from '../fixtures/sync/hub-process';
import type { HubProcess } from '../fixtures/sync/hub-process';
import { checkIn, guest } from '../fixtures/sync/records';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let hub: HubProcess;
let admin: HubAdmin;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  hub = await startHub();
  admin = new HubAdmin(hub.url, hub.adminToken);
  const desk = await admin.pair('desk', 'Desk 1');
  const kiosk = await admin.pair('kiosk', 'Kiosk North', 'north');
  await push(hub.url, desk.token, { guests: [guest('g1', { name: 'Ada Lovelace' }), guest('g2')] });
  await push(
    hub.url,
    kiosk.token,
    { checkIns: [checkIn('g1', kiosk.deviceId, 'north')] },
    { 'x-outbox-size': '42' },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox'],
  });
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('hub dashboard', () => {
  it('asks for the admin token and refuses a wrong one', async () => {
    await page.goto(`${hub.url}/dashboard/`);
    await expect.poll(() => page.isVisible('#login')).toBe(true);
    expect(await page.isVisible('#board')).toBe(false);
    await page.fill('#token', 'not-the-token-at-all-0000000000');
    await page.click('#login button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toContain('not valid');
  });

  it('shows devices with backlog, check-ins and creates a pairing code', async () => {
    await page.fill('#token', hub.adminToken);
    await page.click('#login button[type=submit]');
    await expect.poll(() => page.isVisible('#board')).toBe(true);
    await expect.poll(() => page.textContent('#devices')).toContain('Kiosk North');
    expect(await page.textContent('#devices')).toContain('42');
    expect(await page.textContent('#recent')).toContain('Ada Lovelace');
    expect(await page.locator('#chart svg rect').count()).toBeGreaterThan(0);
    await page.selectOption('#code-kind', 'kiosk');
    await page.fill('#code-entrance', 'south');
    await page.click('#new-code button[type=submit]');
    await expect
      .poll(() => page.textContent('#new-code-result'))
      .toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(
      (await page.textContent('#new-code-result'))!,
    )![1]!;
    await expect.poll(() => page.textContent('#codes')).toContain(code.slice(-4));
  });

  it('uploads a roster and reports bad rows', async () => {
    const csv = 'Registration ID,Full name\nR-1,Grace Hopper\nR-2,\n';
    await page.setInputFiles('#roster-file', {
      name: 'roster.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.click('#roster button[type=submit]');
    await expect.poll(() => page.textContent('#roster-result')).toContain('Nothing imported');
    expect(await page.textContent('#roster-result')).toContain('line 3');
    await page.check('#roster-skip');
    await page.click('#roster button[type=submit]');
    await expect.poll(() => page.textContent('#roster-result')).toContain('1 new');
    expect(await page.textContent('#roster-errors')).toContain('line 3');
    await expect.poll(async () => (await admin.overview()).totals.guests).toBe(3);
  });

  it('refreshes by itself and revokes a device', async () => {
    const other = await admin.pair('kiosk', 'Kiosk South', 'south');
    await expect
      .poll(() => page.textContent('#devices'), { timeout: 15_000 })
      .toContain('Kiosk South');
    await page.click('button[aria-label="Revoke Kiosk South"]');
    await expect.poll(() => page.textContent('#devices')).toContain('revoked');
    const res = await fetch(`${hub.url}/v1/changes`, {
      headers: { authorization: `Bearer ${other.token}` },
    });
    expect(res.status).toBe(401);
  });

  it('keeps the token only for the session and ran without CSP violations', async () => {
    expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
    await page.click('#logout');
    expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
    // Expected: the 401 of the deliberately wrong token and the 422 of the deliberately bad roster.
    expect(problems.filter((p) => !/status of (401|422)/.test(p))).toEqual([]);
  });
});
