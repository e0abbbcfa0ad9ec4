// Pairing a kiosk or desk with the hub, and remembering the result in the kiosk store.
import { getSetting, setSetting } from '../store/settings';
import type { Store } from '../store/store';
import type { DeviceKind } from '../protocol/sync';
import { pinHubCertificate, type PinnedCertificate } from './tls';
import { HubTransport, type FetchLike } from './transport';

export interface HubLink {
  hubUrl: string;
  deviceId: string;
  kind: DeviceKind;
  entranceId: string | null;
  /** The device's secret: only this kiosk and (as SHA-256) the hub know it. */
  token: string;
  /** The hub's certificate, pinned at pairing (absent: system CAs, or plain http on loopback). */
  tls?: PinnedCertificate | null;
  /** The organiser allowed plain http to a hub on another machine (--insecure-http). */
  allowInsecureHttp?: boolean;
}

const SETTING = 'sync.hub';

export interface PairRequest {
  hubUrl: string;
  code: string;
  name: string;
  /** The hub certificate's SHA-256 fingerprint (a self-signed hub): pinned before the code is sent. */
  fingerprint?: string | null;
  allowInsecureHttp?: boolean;
  fetch?: FetchLike;
}

/**
 * Pairs with a one-time code from the organiser and stores the link in the store. With a
 * fingerprint, the hub's certificate is checked against it before anything is sent.
 */
export async function pairWithHub(store: Store, request: PairRequest): Promise<HubLink> {
  const pinned = request.fingerprint
    ? await pinHubCertificate(request.hubUrl, request.fingerprint)
    : null;
  const allowInsecureHttp = request.allowInsecureHttp === true;
  const transport = new HubTransport({
    hubUrl: request.hubUrl,
    pinnedCertificatePem: pinned?.pem ?? null,
    allowInsecureHttp,
    ...(request.fetch ? { fetch: request.fetch } : {}),
  });
  const paired = await transport.pair(request.code, request.name);
  const link: HubLink = {
    hubUrl: request.hubUrl,
    ...paired,
    tls: pinned,
    ...(allowInsecureHttp ? { allowInsecureHttp } : {}),
  };
  setSetting(store, SETTING, link);
  return link;
}

export function getHubLink(store: Store): HubLink | null {
  return getSetting<HubLink>(store, SETTING) ?? null;
}
