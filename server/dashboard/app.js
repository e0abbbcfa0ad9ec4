// Hub dashboard: plain JS under a strict CSP (no inline script or style, no external assets).
// The admin token lives in sessionStorage and goes out as a header; the page refreshes itself.
/* global document, Node */
const KEY = 'hub.adminToken';
const REFRESH_MS = 5000;
const STALE_MS = 2 * 60 * 1000;
const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e'];

const $ = (id) => document.getElementById(id);
let timer = null;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell);
    else td.textContent = cell === null || cell === undefined ? '—' : String(cell);
    tr.append(td);
  }
  return tr;
}

function ago(iso, now) {
  if (!iso) return 'never';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Hub clock minus device clock: positive means the device runs slow. */
function skewText(ms) {
  const s = Math.abs(ms) / 1000;
  if (s < 2) return 'in step';
  const amount = s < 120 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`;
  return `${amount} ${ms > 0 ? 'slow' : 'fast'}`;
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '—');

async function api(path, init = {}) {
  const token = sessionStorage.getItem(KEY);
  const headers = { authorization: `Bearer ${token}`, ...(init.headers || {}) };
  const response = await fetch(path, { ...init, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

function setStatus(text, className) {
  const status = $('status');
  status.textContent = text;
  status.className = className || '';
}

function renderTotals(totals) {
  const dl = $('totals');
  dl.replaceChildren();
  for (const [label, value] of [
    ['Check-ins', totals.checkIns],
    ['Guests', totals.guests],
    ['Face templates', totals.templates],
    ['Devices', totals.devices],
  ]) {
    const div = el('div');
    div.append(el('dt', label), el('dd', value));
    dl.append(div);
  }
}

function renderChart(data) {
  const width = 960;
  const height = 220;
  const pad = { left: 36, bottom: 22, top: 8, right: 8 };
  const bucketMs = data.bucketMinutes * 60000;
  const end = Math.floor(Date.parse(data.hubTime) / bucketMs) * bucketMs;
  const buckets = 48;
  const start = end - (buckets - 1) * bucketMs;
  const entrances = [...new Set(data.perEntrance.map((b) => b.entranceId))].sort();
  const counts = new Map();
  for (const b of data.perEntrance)
    counts.set(`${b.entranceId}|${Date.parse(b.bucketStart)}`, b.count);
  let max = 1;
  for (let i = 0; i < buckets; i++) {
    let total = 0;
    for (const e of entrances) total += counts.get(`${e}|${start + i * bucketMs}`) || 0;
    max = Math.max(max, total);
  }
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Stacked bars of check-ins per entrance over time');
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const barW = plotW / buckets;
  for (let i = 0; i < buckets; i++) {
    let y = pad.top + plotH;
    const t = start + i * bucketMs;
    entrances.forEach((entrance, k) => {
      const n = counts.get(`${entrance}|${t}`) || 0;
      if (n === 0) return;
      const h = (n / max) * plotH;
      y -= h;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', String(pad.left + i * barW + 1));
      rect.setAttribute('y', String(y));
      rect.setAttribute('width', String(Math.max(1, barW - 2)));
      rect.setAttribute('height', String(h));
      rect.setAttribute('fill', COLOURS[k % COLOURS.length]);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${entrance} ${new Date(t).toLocaleTimeString()}: ${n}`;
      rect.append(title);
      svg.append(rect);
    });
    if (i % 8 === 0) {
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', String(pad.left + i * barW));
      label.setAttribute('y', String(height - 6));
      label.setAttribute('font-size', '11');
      label.setAttribute('fill', '#57606a');
      label.textContent = new Date(t).toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit',
      });
      svg.append(label);
    }
  }
  const top = document.createElementNS(SVG, 'text');
  top.setAttribute('x', '2');
  top.setAttribute('y', String(pad.top + 10));
  top.setAttribute('font-size', '11');
  top.setAttribute('fill', '#57606a');
  top.textContent = String(max);
  svg.append(top);
  $('chart').replaceChildren(svg);
  const legend = $('legend');
  legend.replaceChildren();
  entrances.forEach((entrance, k) => {
    const li = el('li');
    li.append(el('span', '', `c${k % COLOURS.length}`), document.createTextNode(entrance));
    legend.append(li);
  });
}

function renderDevices(devices, now) {
  const body = $('devices');
  body.replaceChildren();
  for (const d of devices) {
    const contact = el('span', ago(d.lastSeenAt, now));
    if (!d.revokedAt && (!d.lastSeenAt || now - Date.parse(d.lastSeenAt) > STALE_MS))
      contact.className = 'stale';
    const skew = d.clockSkewMs === null ? '—' : skewText(d.clockSkewMs);
    const state = d.revokedAt
      ? el('span', `revoked ${time(d.revokedAt)}`, 'error')
      : el('span', 'active', 'ok');
    let action = '';
    if (!d.revokedAt) {
      action = el('button', 'Revoke');
      action.type = 'button';
      action.dataset.device = d.id;
      action.setAttribute('aria-label', `Revoke ${d.name}`);
    }
    body.append(row([d.name, d.kind, d.entranceId, contact, d.backlog, skew, state, action]));
  }
}

function renderRecent(list) {
  const body = $('recent');
  body.replaceChildren();
  for (const c of list) {
    body.append(
      row([
        time(c.correctedAt),
        c.guestName || c.guestId,
        c.entranceId,
        time(c.occurredAt),
        time(c.receivedAt),
        c.method,
      ]),
    );
  }
}

function renderCodes(codes, now) {
  const body = $('codes');
  body.replaceChildren();
  for (const c of codes) {
    const used = c.usedAt
      ? `${time(c.usedAt)} by ${c.usedByDevice}`
      : Date.parse(c.expiresAt) < now
        ? 'expired'
        : 'not yet';
    body.append(row([`…${c.hint}`, c.kind, c.entranceId, c.label, time(c.expiresAt), used]));
  }
}

async function refresh() {
  try {
    const data = await api('/v1/admin/overview');
    const now = Date.parse(data.hubTime);
    renderTotals(data.totals);
    renderChart(data);
    renderDevices(data.devices, now);
    renderRecent(data.recentCheckIns);
    renderCodes(data.pairingCodes, now);
    setStatus(`Updated ${new Date().toLocaleTimeString()}`, 'ok');
  } catch (error) {
    if (error.status === 401) return signOut('The admin token was refused.');
    setStatus(`Hub unreachable: ${error.message}`, 'error');
  }
}

function showBoard(visible) {
  $('board').hidden = !visible;
  $('login-panel').hidden = visible;
  $('logout').hidden = !visible;
}

function signIn() {
  showBoard(true);
  void refresh();
  clearInterval(timer);
  timer = setInterval(() => void refresh(), REFRESH_MS);
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  clearInterval(timer);
  showBoard(false);
  setStatus('');
  $('login-error').textContent = message || '';
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('token').value.trim());
  $('token').value = '';
  try {
    await api('/v1/admin/overview');
    $('login-error').textContent = '';
    signIn();
  } catch (error) {
    signOut(error.status === 401 ? 'That admin token is not valid.' : error.message);
  }
});

$('logout').addEventListener('click', () => signOut());

$('devices').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-device]');
  if (!button) return;
  button.disabled = true;
  try {
    await api(`/v1/admin/devices/${encodeURIComponent(button.dataset.device)}/revoke`, {
      method: 'POST',
    });
  } catch (error) {
    setStatus(`Could not revoke: ${error.message}`, 'error');
  }
  void refresh();
});

$('new-code').addEventListener('submit', async (event) => {
  event.preventDefault();
  const entrance = $('code-entrance').value.trim();
  try {
    const created = await api('/v1/admin/pairing-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: $('code-kind').value,
        label: $('code-label').value,
        entranceId: entrance || null,
      }),
    });
    $('new-code-result').textContent =
      `${created.code} (one use, until ${time(created.expiresAt)})`;
  } catch (error) {
    $('new-code-result').textContent = `Could not create a code: ${error.message}`;
  }
  void refresh();
});

$('roster').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('roster-file').files[0];
  if (!file) return;
  $('roster-result').textContent = 'Uploading…';
  $('roster-errors').replaceChildren();
  try {
    const summary = await api(
      `/v1/admin/roster${$('roster-skip').checked ? '?skipBad=true' : ''}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: await file.arrayBuffer(),
      },
    );
    $('roster-result').textContent =
      `${summary.rows} rows: ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.errors.length} skipped`;
    for (const e of summary.errors.slice(0, 50))
      $('roster-errors').append(el('li', `line ${e.line}: ${e.message}`));
  } catch (error) {
    $('roster-result').textContent = `Nothing imported: ${error.message}`;
  }
  void refresh();
});

if (sessionStorage.getItem(KEY)) signIn();
else showBoard(false);
