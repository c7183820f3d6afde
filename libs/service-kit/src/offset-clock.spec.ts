import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileOffsetClock } from './offset-clock';

describe('fileOffsetClock (SX_TEST_CLOCK_OFFSET_FILE)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sx-offset-clock-'));
  const file = path.join(dir, 'offset');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the offset at creation, treats a missing or garbled file as 0', () => {
    const missing = fileOffsetClock(path.join(dir, 'none'));
    expect(Math.abs(missing.nowMs() - Date.now())).toBeLessThan(1_000);
    missing.stop();
    writeFileSync(file, 'not a number');
    const garbled = fileOffsetClock(file);
    expect(Math.abs(garbled.nowMs() - Date.now())).toBeLessThan(1_000);
    garbled.stop();
  });

  it('follows a step written to the file at its next poll', () => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    try {
      writeFileSync(file, '3600000');
      const clock = fileOffsetClock(file, 200);
      expect(clock.nowMs() - Date.now()).toBeGreaterThan(3_599_000);
      writeFileSync(file, '-3600000');
      jest.advanceTimersByTime(200);
      expect(Date.now() - clock.now().getTime()).toBeGreaterThan(3_599_000);
      clock.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
