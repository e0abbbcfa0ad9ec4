// The only bridge between the kiosk page and the app: window.kiosk, one function per KioskApi
// method, each an ipcRenderer.invoke on that method's own channel, and window.kiosk.staff, the
// same for each StaffApi method (staff mode; main refuses all but status/login without the PIN).
// Nothing else is exposed (no second global, no ipcRenderer, no Node). Bundled to CommonJS by scripts/start.ts (sandboxed preloads
// cannot load modules); main validates every input with the method's zod schema.
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, kioskMethodNames, type KioskApi, type KioskMethodName } from '../core/api';
import {
  staffIpcChannel,
  staffMethodNames,
  type StaffApi,
  type StaffMethodName,
} from '../core/desk/api';

const staff = Object.fromEntries(
  staffMethodNames.map((method: StaffMethodName) => [
    method,
    (input: unknown) => ipcRenderer.invoke(staffIpcChannel(method), input),
  ]),
) as StaffApi;

const kiosk: KioskApi & { staff: StaffApi } = {
  ...(Object.fromEntries(
    kioskMethodNames.map((method: KioskMethodName) => [
      method,
      (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input),
    ]),
  ) as KioskApi),
  staff,
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
