// `npm run demo`: the kiosk working end to end with no camera and no guest list.
// Seeds a demo event in a fresh data folder with guests enrolled from the face-api sample photos
// (single faces cropped out of group photos), renders a fake camera video of some of them (and of
// one person who is not enrolled), and runs the kiosk in Chromium on that video.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFaceEngine, type FaceEngine } from '../core/face/engine';
import { getEvent, setEvent } from '../core/store/event';
import { saveGuest, type GuestInput } from '../core/store/guests';
import { openStore, type Store } from '../core/store/store';
import { addTemplate } from '../core/store/templates';
import {
  emptyShot,
  enrolmentPhoto,
  makeY4m,
  pairShot,
  shotOf,
  type SampleFace,
  type Shot,
} from './fake-camera';
import { buildUi, chromiumPath, hasDisplay, startBrowserKiosk } from './start';

export const DEMO_MODEL_ID = 'face-api-1.7.15';

export const DEMO_EVENT = {
  id: 'demo-summit-2026',
  name: 'Open Source Summit 2026',
  entrances: [
    { id: 'north', name: 'North Entrance' },
    { id: 'vip', name: 'VIP Lounge' },
  ],
};

type DemoGuest = Omit<GuestInput, 'consent' | 'revoked'> & {
  face: SampleFace;
  revoked?: boolean;
};

/** The demo guests and the sample person each one is. "olive" is left out on purpose: a stranger. */
export const DEMO_GUESTS: DemoGuest[] = [
  {
    face: 'curly',
    registrationId: 'OSS-1001',
    name: 'Amelia Hart',
    nameLatin: null,
    organisation: 'Northwind Labs',
    category: 'speaker',
    entrances: [],
    language: 'en',
  },
  {
    face: 'red',
    registrationId: 'OSS-1002',
    name: '林晓雯',
    nameLatin: 'Lin Xiaowen',
    organisation: '上海数据科技',
    category: 'vip',
    entrances: [],
    language: 'zh-CN',
  },
  {
    face: 'stairs',
    registrationId: 'OSS-1003',
    name: 'Sofia Marques',
    nameLatin: null,
    organisation: 'Daily Ledger',
    category: 'press',
    entrances: [],
    language: 'en',
  },
  {
    face: 'green',
    registrationId: 'OSS-1004',
    name: 'Hannah Becker',
    nameLatin: null,
    organisation: 'Becker & Partners',
    category: 'attendee',
    entrances: ['vip'],
    language: 'en',
  },
  {
    face: 'front',
    registrationId: 'OSS-1005',
    name: '陈美玲',
    nameLatin: 'Chen Meiling',
    organisation: null,
    category: 'attendee',
    entrances: [],
    language: 'zh-CN',
    revoked: true,
  },
  {
    face: 'bun',
    registrationId: 'OSS-1006',
    name: 'Olivia Brown',
    nameLatin: null,
    organisation: 'Acme Cloud',
    category: 'staff',
    entrances: [],
    language: null,
  },
];

/** Seed the demo event and enrol each demo guest from their cropped sample photo. */
export async function seedDemo(
  store: Store,
  engine: Pick<FaceEngine, 'describeSingleFace'>,
  guests: DemoGuest[] = DEMO_GUESTS,
): Promise<Map<SampleFace, string>> {
  setEvent(store, DEMO_EVENT);
  const ids = new Map<SampleFace, string>();
  for (const { face, revoked, ...guest } of guests) {
    const { guest: saved } = saveGuest(store, {
      ...guest,
      consent: 'granted',
      revoked: revoked ?? false,
    });
    const photo = await enrolmentPhoto(face);
    const described = await engine.describeSingleFace(
      { kind: 'encoded', data: photo },
      { padToFindTightCrop: true },
    );
    addTemplate(store, {
      guestId: saved.id,
      descriptor: described.face.descriptor,
      quality: described.face.quality.acceptable ? 1 : 0.5,
      source: 'desk',
      modelId: DEMO_MODEL_ID,
    });
    ids.set(face, saved.id);
  }
  return ids;
}

export function demoDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'kiosk-demo-'));
}

/** What the demo camera shows, looping: guests, a stranger, a wrong entrance, two at once. */
export function demoShots(): Shot[] {
  return [
    emptyShot(20),
    shotOf('curly', 40),
    emptyShot(20),
    shotOf('red', 40),
    emptyShot(20),
    shotOf('olive', 50),
    emptyShot(20),
    shotOf('green', 40),
    emptyShot(20),
    pairShot('stairs', 'bun', 30),
    shotOf('stairs', 40),
  ];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const dataIndex = argv.indexOf('--data');
  const dataDir = dataIndex >= 0 && argv[dataIndex + 1] ? argv[dataIndex + 1]! : demoDataDir();
  const noBrowser = argv.includes('--no-browser');
  console.log(`demo: data folder ${dataDir}`);
  await buildUi();

  const engine = await createFaceEngine({ workers: 1 });
  const store = openStore(dataDir);
  try {
    if (!getEvent(store)) {
      console.log('demo: enrolling 6 guests from the face-api sample photos…');
      await seedDemo(store, engine);
    }
  } finally {
    store.close();
  }
  const video = join(dataDir, 'demo-camera.y4m');
  if (!existsSync(video)) {
    console.log('demo: rendering the fake camera video (ffmpeg)…');
    await makeY4m(demoShots(), video);
  }

  const openBrowser = !noBrowser && hasDisplay() && chromiumPath() !== null;
  const kiosk = await startBrowserKiosk({
    runtime: { dataDir, entranceId: 'north', engine },
    chromiumFlags: openBrowser
      ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]
      : null,
  });
  if (kiosk.chromium) {
    console.log('demo: Chromium is showing the kiosk on the fake camera. Ctrl+C to stop.');
  } else {
    console.log('demo: no Chromium window here (no display, or --no-browser). Open this URL in a');
    console.log(
      `      Chromium started with --use-fake-device-for-media-stream --use-file-for-fake-video-capture=${video}`,
    );
  }
  console.log(`  ${kiosk.server.url}`);
  const stop = () => {
    void kiosk
      .close()
      .then(() => engine.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  kiosk.chromium?.on('close', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
