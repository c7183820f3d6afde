import { readFileSync } from 'node:fs';
import type { Clock } from './clock';

/**
 * Test-only (SX_TEST_CLOCK_OFFSET_FILE): the system clock shifted by the number of milliseconds written in
 * `file`, re-read every `pollMs`. The chaos harness writes ±3600000 into it to step a process's wall clock by
 * an hour without touching the machine's clock, then 0 to step it back. A missing or unreadable file means 0.
 */
export function fileOffsetClock(file: string, pollMs = 200): Clock & { stop(): void } {
  let offsetMs = readOffset(file);
  const timer = setInterval(() => (offsetMs = readOffset(file)), pollMs);
  timer.unref();
  return {
    now: () => new Date(Date.now() + offsetMs),
    nowMs: () => Date.now() + offsetMs,
    stop: () => clearInterval(timer),
  };
}

function readOffset(file: string): number {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}
