// The single entry point for staff calls, whatever the transport (core/rpc.ts does the work):
// beyond the kiosk's rules, a missing or malformed token is a missing session, whatever else is
// wrong, and a DeskError carries its details across.
import { dispatchCall, type DispatchRules } from '../rpc';
import { staffMethods, type StaffErrorInfo, type StaffHandlers, type StaffOutcome } from './api';
import { DeskError } from './errors';

/** Methods that work without a staff session. */
const OPEN_METHODS = new Set(['staffStatus', 'staffLogin']);

const STAFF_RULES: DispatchRules<StaffErrorInfo> = {
  owner: 'the desk',
  refineInvalidInput(method, issues) {
    if (OPEN_METHODS.has(method) || !issues.some((i) => i.path === 'token')) return null;
    return { code: 'session_invalid', message: 'Staff mode needs the staff PIN.' };
  },
  knownError(error) {
    if (!(error instanceof DeskError)) return null;
    const info: StaffErrorInfo = { code: error.code, message: error.message };
    if (Object.keys(error.details).length > 0) info.details = error.details;
    return info;
  },
};

export async function dispatchStaff(
  handlers: StaffHandlers,
  method: unknown,
  rawInput: unknown,
  onInternalError: (method: string, error: unknown) => void = () => {},
): Promise<StaffOutcome<unknown>> {
  return (await dispatchCall(
    staffMethods,
    handlers,
    method,
    rawInput,
    STAFF_RULES,
    onInternalError,
  )) as StaffOutcome<unknown>;
}
