// Last contact per device is dashboard information, not data: a pull writes it only when the
// device reports something new or the stored time is getting old, so pulls stay read-only.
import type { DeviceReport } from './device-headers';

export class ContactThrottle {
  private readonly last = new Map<string, { atMs: number; report: DeviceReport }>();
  constructor(private readonly maxAgeMs: number) {}

  worthWriting(deviceId: string, at: Date, report: DeviceReport): boolean {
    const last = this.last.get(deviceId);
    if (!last) return true;
    if (at.getTime() - last.atMs >= this.maxAgeMs) return true;
    if (report.backlog !== null && report.backlog !== last.report.backlog) return true;
    const skewMoved =
      report.clockSkewMs !== null &&
      (last.report.clockSkewMs === null ||
        Math.abs(report.clockSkewMs - last.report.clockSkewMs) > 1_000);
    return skewMoved;
  }

  written(deviceId: string, at: Date, report: DeviceReport): void {
    this.last.set(deviceId, { atMs: at.getTime(), report });
  }
}
