// The only bridge between the kiosk page and the app: window.kiosk, one function per KioskApi
// method, each an ipcRenderer.invoke on that method's own channel. Nothing else is exposed
// (no ipcRenderer, no Node). Bundled to CommonJS by scripts/start.ts (sandboxed preloads
// cannot load modules); main validates every input with the method's zod schema.
import { contextBridge, ipcRenderer } from 'electron';
import { ipcChannel, kioskMethodNames, type KioskApi, type KioskMethodName } from '../core/api';

const kiosk = Object.fromEntries(
  kioskMethodNames.map((method: KioskMethodName) => [
    method,
    (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input),
  ]),
) as KioskApi;

contextBridge.exposeInMainWorld('kiosk', kiosk);
