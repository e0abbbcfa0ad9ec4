// The sync client's public API.
export {
  SyncClient,
  type SyncClientOptions,
  type SyncState,
  type SyncStatus,
  type CycleReport,
  type Timers,
} from './client';
export { SyncError, type SyncErrorKind } from './errors';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { HubTransport, type FetchLike, type DeviceReport } from './transport';
export { pairWithHub, getHubLink, type HubLink } from './pairing';
