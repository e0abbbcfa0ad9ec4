// The staff screens mirror StaffApi's types (the renderer may import types only from core/api.ts).
// These compile-time checks fail `tsc` when the mirror and core/desk/api.ts drift apart; the
// runtime checks keep the translations complete.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { StaffApi, StaffErrorCode, StaffMethodResult } from '../../core/desk/api';
import { staffMethodNames } from '../../core/desk/api';
import en from '../../renderer/desk/i18n/en.json';
import zhCN from '../../renderer/desk/i18n/zh-CN.json';
import type * as Ui from '../../renderer/desk/types';

describe('staff screens against StaffApi', () => {
  it('use the results StaffApi returns', () => {
    expectTypeOf<StaffMethodResult<'staffSearch'>['hits'][number]>().toExtend<Ui.GuestSummary>();
    expectTypeOf<StaffMethodResult<'staffReview'>>().toExtend<Ui.ReviewView>();
    expectTypeOf<StaffMethodResult<'staffAddFrame'>>().toExtend<Ui.FrameFeedback>();
    expectTypeOf<StaffMethodResult<'staffGuest'>>().toExtend<Ui.GuestCardView>();
    expectTypeOf<StaffMethodResult<'staffManualCheckIn'>>().toExtend<Ui.ManualCheckInView>();
    expectTypeOf<StaffMethodResult<'staffAuditLog'>['entries'][number]>().toExtend<Ui.AuditEntry>();
    expectTypeOf<StaffErrorCode>().toExtend<Ui.StaffErrorCode>();
  });

  it('call only methods StaffApi has, with inputs it accepts', () => {
    type UiMethods = keyof Ui.DeskClient;
    expectTypeOf<UiMethods>().toExtend<keyof StaffApi>();
    expectTypeOf<Parameters<Ui.DeskClient['staffAddFrame']>[0]>().toExtend<
      Parameters<StaffApi['staffAddFrame']>[0]
    >();
    expectTypeOf<Parameters<Ui.DeskClient['staffSave']>[0]>().toExtend<
      Parameters<StaffApi['staffSave']>[0]
    >();
    const uiMethods: UiMethods[] = [
      'staffStatus',
      'staffLogin',
      'staffLogout',
      'staffSession',
      'staffSearch',
      'staffGuest',
      'staffGrantConsent',
      'staffWithdrawConsent',
      'staffStartCapture',
      'staffAddFrame',
      'staffReview',
      'staffSave',
      'staffCancelCapture',
      'staffRemoveFace',
      'staffManualCheckIn',
      'staffAuditLog',
    ];
    for (const method of uiMethods) expect(staffMethodNames).toContain(method);
  });

  it('have every message in every language', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zhCN)) expect(text, key).not.toBe('');
  });
});
