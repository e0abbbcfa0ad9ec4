// The store's public API (the kiosk, the desk, the sync client and the scripts import from here).
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
export { audit, listAudit, type AuditAction, type AuditEntry } from './audit';
