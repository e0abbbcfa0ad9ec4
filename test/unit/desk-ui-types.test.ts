// The staff screens take their types from StaffApi (renderer/desk/types.ts derives them through
// core/api.ts), so a changed method fails `tsc` where a screen uses it; these checks keep it that
// way (no hand-written mirror creeping back) and keep the translations complete.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { StaffApi, StaffErrorCode, StaffMethodResult } from '../../core/desk/api';
import en from '../../renderer/desk/i18n/en.json';
import zhCN from '../../renderer/desk/i18n/zh-CN.json';
import type * as Ui from '../../renderer/desk/types';

describe('staff screens against StaffApi', () => {
  it('use exactly the types StaffApi declares', () => {
    expectTypeOf<Ui.DeskClient>().toEqualTypeOf<StaffApi>();
    expectTypeOf<Ui.StaffErrorCode>().toEqualTypeOf<StaffErrorCode>();
    expectTypeOf<Ui.GuestSummary>().toEqualTypeOf<
      StaffMethodResult<'staffSearch'>['hits'][number]
    >();
    expectTypeOf<Ui.ReviewView>().toEqualTypeOf<StaffMethodResult<'staffReview'>>();
  });

  it('have every message in every language', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zhCN)) expect(text, key).not.toBe('');
  });
});
