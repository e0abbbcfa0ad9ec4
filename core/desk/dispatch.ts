// The single entry point for staff calls, whatever the transport: validate the input with the
// method's schema, run its handler, and turn every failure into a typed error value.
import { issuesOf } from '../api';
import {
  isStaffMethod,
  staffMethods,
  type StaffErrorInfo,
  type StaffHandlers,
  type StaffOutcome,
} from './api';
import { DeskError } from './errors';

export async function dispatchStaff(
  handlers: StaffHandlers,
  method: unknown,
  rawInput: unknown,
  onInternalError: (method: string, error: unknown) => void = () => {},
): Promise<StaffOutcome<unknown>> {
  if (!isStaffMethod(method)) {
    return {
      ok: false,
      error: { code: 'unknown_method', message: `no such method: ${String(method).slice(0, 64)}` },
    };
  }
  const parsed = staffMethods[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    // A missing or malformed token is a missing session, whatever else is wrong.
    if (
      method !== 'staffStatus' &&
      method !== 'staffLogin' &&
      issues.some((i) => i.path === 'token')
    ) {
      return {
        ok: false,
        error: { code: 'session_invalid', message: 'Staff mode needs the staff PIN.' },
      };
    }
    const first = issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid_input',
        message: `${method}: ${first ? `${first.path || 'input'}: ${first.message}` : 'invalid input'}`,
        issues,
      },
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof DeskError) {
      const info: StaffErrorInfo = { code: error.code, message: error.message };
      if (Object.keys(error.details).length > 0) info.details = error.details;
      return { ok: false, error: info };
    }
    onInternalError(method, error);
    return { ok: false, error: { code: 'internal', message: `${method} failed inside the desk` } };
  }
}
