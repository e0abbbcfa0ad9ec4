// What the consent screen tells the guest. Its version is recorded with each consent, so the
// audit log says which text the guest saw. The wording itself lives in the UI translations.
export const CONSENT_NOTICE = {
  version: '2026-1',
  /** What is stored: face templates (numbers computed from the face), never the photos. */
  stored: 'face_templates',
  /** Templates are deleted at the latest this many days after the event. */
  retentionDays: 30,
} as const;
