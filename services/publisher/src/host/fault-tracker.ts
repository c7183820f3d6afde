/**
 * Counts a plugin's faults (crash, timeout, memory) in a sliding window; reaching `threshold`
 * within `windowMs` means quarantine.
 */
export class FaultTracker {
  private readonly faults = new Map<string, number[]>();

  constructor(
    private readonly threshold = 3,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** Records one fault at `nowMs`; true when the plugin must now be quarantined. */
  record(pluginId: string, nowMs: number): boolean {
    const recent = (this.faults.get(pluginId) ?? []).filter((t) => nowMs - t < this.windowMs);
    recent.push(nowMs);
    this.faults.set(pluginId, recent);
    return recent.length >= this.threshold;
  }

  count(pluginId: string): number {
    return this.faults.get(pluginId)?.length ?? 0;
  }

  reset(pluginId: string): void {
    this.faults.delete(pluginId);
  }
}
