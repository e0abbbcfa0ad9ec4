// Sync throughput against a REAL hub child process (server/main.ts) on 127.0.0.1:
//  1. 10,000 check-ins pushed from one kiosk store by the SyncClient (target < 2 s);
//     baseline: one request per check-in, measured over 300 and scaled to 10,000.
//  2. First pull of 120,000 guests × 3 templates onto an empty kiosk (target < 30 s), in a
//     child process so its peak RSS is the kiosk's alone; bytes on the wire counted.
//     baseline: downloading the same pages without applying them (network + hub only).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkIn } from '../../core/checkin/checkin';
import { createMatcher } from '../../core/face/matcher';
import type { Change, CheckInRecord, GuestRecord, TemplateRecord } from '../../core/protocol/sync';
import {
  applyChanges,
  bindGallery,
  countGuests,
  countTemplates,
  openStore,
  outboxSize,
} from '../../core/store';
import { HubTransport, SyncClient } from '../../core/sync';
import { HubAdmin, push } from '../../test/fixtures/sync/hub-client';
import { startHub } from '../../test/fixtures/sync/hub-process';
import { guest, template } from '../../test/fixtures/sync/records';
import type { Report } from './report';

const CHECK_INS = 10_000;
const BASELINE_SAMPLE = 300;
const GUESTS = Number(process.env.SYNC_BENCH_GUESTS ?? 120_000);
const TEMPLATES_PER_GUEST = 3;
const EVENT = { id: 'bench', name: 'Bench', entrances: [{ id: 'north', name: 'North' }] };

const mib = (bytes: number) => bytes / 1024 / 1024;
// content-length of each response as sent by the hub (compressed when brotli was negotiated).

export async function run(report: Report): Promise<void> {
  await benchPush(report);
  await benchFirstPull(report);
}

async function benchPush(report: Report): Promise<void> {
  const hub = await startHub();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-kiosk-'));
  try {
    const admin = new HubAdmin(hub.url, hub.adminToken);
    const kiosk = await admin.pair('kiosk', 'Bench kiosk', 'north');
    const store = openStore(dataDir);
    // The kiosk knows 10,000 guests (as if pulled) and checks each in once, offline.
    const guests: Change[] = Array.from({ length: CHECK_INS }, (_, i) => ({
      seq: i + 2,
      type: 'guest',
      data: guest(`g${i}`),
    }));
    applyChanges(store, {
      changes: [{ seq: 1, type: 'event', data: EVENT }, ...guests],
      cursor: '0',
      hasMore: false,
    });
    for (let i = 0; i < CHECK_INS; i++) {
      checkIn(store, `g${i}`, {
        method: 'face',
        entrance: 'north',
        kiosk: kiosk.deviceId,
        distance: 0.3,
      });
    }
    if (outboxSize(store) !== CHECK_INS) throw new Error(`outbox holds ${outboxSize(store)}`);
    const client = new SyncClient({ store, hubUrl: hub.url, token: kiosk.token });

    // Baseline first (it warms the hub up for both): one POST per check-in.
    const transport = new HubTransport({ hubUrl: hub.url, token: kiosk.token });
    const one = (): CheckInRecord => ({
      id: randomUUID(),
      guestId: 'g0',
      entranceId: 'north',
      kioskId: kiosk.deviceId,
      occurredAt: new Date().toISOString(),
      method: 'face',
      distance: 0.3,
      staffId: null,
    });
    for (let i = 0; i < 50; i++)
      await transport.push(
        { checkIns: [one()], guests: [], templates: [], deletions: [] },
        { outboxSize: 0, deviceTime: new Date() },
      );
    const baseStart = performance.now();
    for (let i = 0; i < BASELINE_SAMPLE; i++) {
      await transport.push(
        { checkIns: [one()], guests: [], templates: [], deletions: [] },
        { outboxSize: 0, deviceTime: new Date() },
      );
    }
    const baselineMs = ((performance.now() - baseStart) / BASELINE_SAMPLE) * CHECK_INS;

    const hubCpu0 = hub.cpuMs();
    const kioskCpu0 = process.cpuUsage();
    const start = performance.now();
    const cycle = await client.syncNow();
    const ms = performance.now() - start;
    const kioskCpu = process.cpuUsage(kioskCpu0);
    const hubCpuMs = hub.cpuMs() - hubCpu0;
    if (cycle.error || cycle.pushed !== CHECK_INS || outboxSize(store) !== 0) {
      throw new Error(
        `push bench failed: ${JSON.stringify({ ...cycle, error: cycle.error?.message })}`,
      );
    }
    const audit = await admin.audit();
    if (audit.total !== CHECK_INS + 50 + BASELINE_SAMPLE)
      throw new Error(`hub holds ${audit.total}`);
    report({
      name: 'sync.push_10k_checkins',
      value: ms,
      unit: 'ms',
      baseline: baselineMs,
      ratio: baselineMs / ms,
      note: `SyncClient.syncNow(), batches of 5,000 (the default) from a real store outbox to a real hub; baseline = one request per check-in over ${BASELINE_SAMPLE}, scaled ×${CHECK_INS / BASELINE_SAMPLE}; target < 2,000 ms; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    });
    report({
      name: 'sync.push_10k_checkins_cpu',
      value: (kioskCpu.user + kioskCpu.system) / 1000 + hubCpuMs,
      unit: 'ms',
      baseline: null,
      ratio: null,
      note: `CPU (user+system) of kiosk ${Math.round((kioskCpu.user + kioskCpu.system) / 1000)} ms + hub ${Math.round(hubCpuMs)} ms: the push's cost without other processes' load`,
    });
    store.close();
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(hub.dataDir, { recursive: true, force: true });
  }
}

interface PullResult {
  mode: 'apply' | 'download';
  ms: number;
  bytes: number;
  pages: number;
  guests: number;
  templates: number;
  galleryVectors: number;
  peakRssMiB: number;
  /** CPU time (user + system) the kiosk process spent: unlike wall time, not inflated by other load. */
  cpuMs: number;
}

async function benchFirstPull(report: Report): Promise<void> {
  const hub = await startHub();
  try {
    const admin = new HubAdmin(hub.url, hub.adminToken);
    const desk = await admin.pair('desk', 'Bench desk');
    const seedStart = performance.now();
    const perBatch = Math.floor(5_000 / TEMPLATES_PER_GUEST);
    for (let first = 0; first < GUESTS; first += perBatch) {
      const ids = Array.from(
        { length: Math.min(perBatch, GUESTS - first) },
        (_, i) => `g${first + i}`,
      );
      const guests: GuestRecord[] = ids.map((id) => guest(id));
      const templates: TemplateRecord[] = ids.flatMap((id, i) =>
        Array.from({ length: TEMPLATES_PER_GUEST }, (_, k) =>
          template(`${id}-t${k}`, id, (first + i) * 4 + k),
        ),
      );
      const res = await push(hub.url, desk.token, { guests, templates });
      if (res.status !== 200)
        throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const seedMs = performance.now() - seedStart;
    const kiosk = await admin.pair('kiosk', 'Bench kiosk', 'north');
    let hubCpu0 = hub.cpuMs();
    const download = await pullInChild('download', hub.url, kiosk.token);
    const hubDownloadCpuMs = hub.cpuMs() - hubCpu0;
    hubCpu0 = hub.cpuMs();
    const applied = await pullInChild('apply', hub.url, kiosk.token);
    const hubApplyCpuMs = hub.cpuMs() - hubCpu0;
    if (
      applied.guests !== GUESTS ||
      applied.templates !== GUESTS * TEMPLATES_PER_GUEST ||
      applied.galleryVectors !== applied.templates
    ) {
      throw new Error(`first pull incomplete: ${JSON.stringify(applied)}`);
    }
    const rows = GUESTS * (1 + TEMPLATES_PER_GUEST);
    report({
      name: 'sync.first_pull_120k_guests_3_templates',
      value: applied.ms,
      unit: 'ms',
      baseline: download.ms,
      ratio: download.ms / applied.ms,
      note: `${GUESTS} guests + ${GUESTS * TEMPLATES_PER_GUEST} templates onto an empty kiosk store + gallery, ${applied.pages} pages of 5,000; baseline = download + JSON.parse only; target < 30,000 ms`,
    });
    report({
      name: 'sync.first_pull_kiosk_cpu',
      value: applied.cpuMs,
      unit: 'ms',
      baseline: download.cpuMs,
      ratio: download.cpuMs / applied.cpuMs,
      note: `kiosk process CPU (user+system) during the pull; baseline = download-only child; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    });
    report({
      name: 'sync.first_pull_hub_cpu',
      value: hubApplyCpuMs,
      unit: 'ms',
      baseline: hubDownloadCpuMs,
      ratio: hubDownloadCpuMs / hubApplyCpuMs,
      note: `hub process CPU (user+system) serving the ${applied.pages} pages; baseline = the same pages for the download-only child`,
    });
    report({
      name: 'sync.first_pull_bytes_on_wire',
      value: mib(applied.bytes),
      unit: 'MiB',
      baseline: null,
      ratio: null,
      note: `${Math.round(applied.bytes / rows)} bytes per row (JSON, uncompressed: the default; compressPulls gives ~388 bytes/row)`,
    });
    report({
      name: 'sync.first_pull_peak_rss',
      value: applied.peakRssMiB,
      unit: 'MiB',
      baseline: download.peakRssMiB,
      ratio: download.peakRssMiB / applied.peakRssMiB,
      note: 'kiosk child process maxRSS; baseline = download-only child',
    });
    report({
      name: 'sync.hub_ingest_120k_guests_3_templates',
      value: seedMs,
      unit: 'ms',
      baseline: null,
      ratio: null,
      note: `desk pushes of 5,000 rows; ${Math.round(rows / (seedMs / 1000))} rows/s`,
    });
  } finally {
    await hub.stop();
    rmSync(hub.dataDir, { recursive: true, force: true });
  }
}

function pullInChild(mode: PullResult['mode'], hubUrl: string, token: string): Promise<PullResult> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SYNC_BENCH_CHILD: JSON.stringify({ mode, hubUrl, token }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: PullResult | { error: string }) =>
      'error' in message ? reject(new Error(message.error)) : resolve(message),
    );
    child.once('exit', (code) => code !== 0 && reject(new Error(`pull child exited with ${code}`)));
  });
}

/** The kiosk side of the first pull, in its own process. */
async function childPull(config: {
  mode: PullResult['mode'];
  hubUrl: string;
  token: string;
}): Promise<PullResult> {
  let bytes = 0;
  const counting: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    bytes += Number(response.headers.get('content-length') ?? 0);
    return response;
  };
  if (config.mode === 'download') {
    const transport = new HubTransport({
      hubUrl: config.hubUrl,
      token: config.token,
      fetch: counting,
    });
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let cursor = '0';
    let pages = 0;
    for (;;) {
      const page = await transport.pull(cursor, 5_000, { outboxSize: 0, deviceTime: new Date() });
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      mode: 'download',
      ms,
      bytes,
      pages,
      guests: 0,
      templates: 0,
      galleryVectors: 0,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pull-'));
  const store = openStore(dataDir);
  const matcher = createMatcher();
  bindGallery(store, matcher);
  const client = new SyncClient({
    store,
    hubUrl: config.hubUrl,
    token: config.token,
    fetch: counting,
    pullPageSize: 5_000,
    requestTimeoutMs: 120_000,
  });
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const cycle = await client.syncNow();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  if (cycle.error) throw cycle.error;
  const result: PullResult = {
    mode: 'apply',
    ms,
    bytes,
    pages: cycle.pages,
    guests: countGuests(store),
    templates: countTemplates(store),
    galleryVectors: matcher.vectorCount,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

if (process.env.SYNC_BENCH_CHILD) {
  childPull(JSON.parse(process.env.SYNC_BENCH_CHILD)).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) =>
      process.send!({ error: String((error as Error).stack ?? error) }, () => process.exit(1)),
  );
}
