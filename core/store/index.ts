// The store's public API (the kiosk, the desk, the sync client and the scripts import from here).
//
// Sync contract:
//  push  takePushBatch(store, {maxItems}) → {batch, items} | null. `batch` is a PushBatch built
//        from the CURRENT rows the outbox points at (never copies: a face deleted meanwhile is
//        not sent; a guest edited twice is sent once). Nothing leaves the outbox until
//        acknowledgePush(store, pending, result.acknowledged): only the exact rows sent are
//        removed (a record queued again since then stays); unacknowledged items count an
//        attempt. recordPushFailure(store, pending) when the request failed outright.
//  pull  applyChanges(store, page, {peer}) validates the page (StoreError 'invalid' → nothing
//        written), applies every change AND the new cursor in ONE transaction, never echoes
//        pulled changes into the outbox, and notifies listeners (the gallery) after commit.
//        getCursor(store, peer) gives the `since` for the next pull (null before the first).
export { resolveDataDir, dataFlag, DataDirError, APP_FOLDER, DATABASE_FILE } from './data-dir';
export { openDatabase, databasePath, type OpenOptions } from './db';
export { StoreError, type StoreErrorCode } from './errors';
export {
  Store,
  openStore,
  openStoreFile,
  openStoreFromArgs,
  systemClock,
  type Clock,
  type StoreChange,
  type ChangeListener,
  type StoreOptions,
} from './store';
export { LATEST_VERSION } from './migrations';
export { getEvent, setEvent, listEntrances, getEntrance } from './event';
export {
  getGuest,
  getGuestByRegistrationId,
  listGuests,
  listGuestsAfter,
  countGuests,
  saveGuest,
  deleteGuest,
  type GuestInput,
  type SaveResult,
} from './guests';
export {
  addTemplate,
  deleteTemplate,
  listTemplates,
  getTemplateInfo,
  findTemplateByPhoto,
  countTemplates,
  descriptorsOf,
  type NewTemplate,
  type TemplateInfo,
} from './templates';
export { getCheckIn, firstCheckInOf, listCheckIns, countCheckIns, allCheckInIds } from './checkins';
export { getTombstone, listTombstones } from './tombstones';
export {
  takePushBatch,
  acknowledgePush,
  recordPushFailure,
  outboxSize,
  type PendingPush,
  type OutboxItem,
  type OutboxKind,
} from './outbox';
export { applyChanges, getCursor, setCursor, DEFAULT_PEER, type ApplyReport } from './apply';
export { loadGallery, bindGallery, applyToGallery } from './gallery';
export { getSetting, setSetting, deleteSetting } from './settings';
export {
  audit,
  listAudit,
  writeAudit,
  type AuditAction,
  type AuditEntry,
  type AuditInput,
} from './audit';
