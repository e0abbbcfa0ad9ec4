// Pairing a kiosk or desk with the hub, and remembering the result in the kiosk store.
import { getSetting, setSetting } from '../store/settings';
import type { Store } from '../store/store';
import type { DeviceKind } from '../protocol/sync';
import { HubTransport, type FetchLike } from './transport';

export interface HubLink {
  hubUrl: string;
  deviceId: string;
  kind: DeviceKind;
  entranceId: string | null;
  /** The device's secret: only this kiosk and (as SHA-256) the hub know it. */
  token: string;
}

const SETTING = 'sync.hub';

/** Pairs with a one-time code from the organiser and stores the link in the store. */
export async function pairWithHub(
  store: Store,
  request: { hubUrl: string; code: string; name: string; fetch?: FetchLike },
): Promise<HubLink> {
  const transport = new HubTransport({
    hubUrl: request.hubUrl,
    ...(request.fetch ? { fetch: request.fetch } : {}),
  });
  const paired = await transport.pair(request.code, request.name);
  const link: HubLink = { hubUrl: request.hubUrl, ...paired };
  setSetting(store, SETTING, link);
  return link;
}

export function getHubLink(store: Store): HubLink | null {
  return getSetting<HubLink>(store, SETTING) ?? null;
}
