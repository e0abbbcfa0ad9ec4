/// <reference types="vite/client" />
import type { KioskApi } from '../core/api';

declare global {
  interface Window {
    /** Set by electron/preload.ts, or by the browser-mode shim (renderer/kiosk-client.ts). */
    kiosk?: KioskApi;
  }
}
