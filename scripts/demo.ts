// `npm run demo`: the kiosk working end to end with no camera and no guest list.
// Seeds a demo event in a fresh data folder with guests enrolled from the face-api sample photos
// (single faces cropped out of group photos), renders a fake camera video of some of them (and of
// one person who is not enrolled), and runs the kiosk in Chromium on that video.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FaceEngine } from '../core/face/engine';
import { setEvent } from '../core/store/event';
import { saveGuest, type GuestInput } from '../core/store/guests';
import type { Store } from '../core/store/store';
import { addTemplate } from '../core/store/templates';
import { enrolmentPhoto, type SampleFace } from './fake-camera';

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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.error('demo: not wired yet');
}
