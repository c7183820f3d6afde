import { appendFile, mkdir, utimes, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import pino from 'pino';
import type { Timers } from '@sx/bus';
import type { FakeClock } from '@sx/testing';
import { createIngestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { makeJpegWithExif, makePng } from '../test-support/media-fixtures';
import { WatchFolderService, type WatchOutcome } from './watch-folder.service';

function fakeTimers(clock: FakeClock): Timers {
  return {
    setTimeout: (fn, ms) => ({ id: clock.setTimeout(fn, ms) }),
    clearTimeout: (h) => clock.clearTimeout(h.id),
  };
}

describe('WatchFolderService', () => {
  let h: IngestHarness;
  let dir: string;
  let outcomes: [string, WatchOutcome][];
  const STABLE = 2_000;

  const watcher = () =>
    new WatchFolderService(
      { dir, workspaceId: 'ws-watch', stableMs: STABLE },
      h.db.ds,
      h.ingest,
      fakeTimers(h.clock),
      h.clock,
      pino({ level: 'silent' }),
      (file, outcome) => outcomes.push([path.basename(file), outcome]),
    );

  beforeEach(async () => {
    h = await createIngestHarness({ autoSchedule: true });
    dir = path.join(h.tmp, 'watch');
    await mkdir(dir);
    outcomes = [];
  });
  afterEach(() => h.close());

  async function step(w: WatchFolderService, ms: number): Promise<void> {
    h.clock.advance(ms);
    await w.idle();
  }

  it('waits until the size holds still, then ingests once and hands the asset on with autoSchedule', async () => {
    const w = watcher();
    const jpeg = await makeJpegWithExif(200, 150);
    const file = path.join(dir, 'clip.jpg');
    await writeFile(file, jpeg.subarray(0, 100));
    await w.seen(file);
    await appendFile(file, jpeg.subarray(100));
    await step(w, STABLE); // size changed since it was seen: not taken yet
    expect(outcomes).toEqual([]);
    expect(w.pendingCount()).toBe(1);
    await step(w, STABLE);
    expect(outcomes).toEqual([['clip.jpg', 'ready']]);
    const ready = h.outbox.events.find((e) => e.subject === 'media.ready');
    expect(ready?.data).toMatchObject({ source: 'watch-folder', autoSchedule: true, filename: 'clip.jpg' });
    expect(ready?.meta.workspaceId).toBe('ws-watch');
  });

  it('never ingests the same file twice: not after a restart, not after a touch without new content', async () => {
    const file = path.join(dir, 'a.png');
    await writeFile(file, await makePng(30, 30));
    const first = watcher();
    await first.seen(file);
    await step(first, STABLE);
    await first.stop();

    const second = watcher(); // a restart: fresh process state, same database
    await second.seen(file);
    await step(second, STABLE);
    const later = new Date(h.clock.nowMs() + 60_000);
    await utimes(file, later, later);
    await second.seen(file);
    await step(second, STABLE);
    expect(outcomes.map(([, o]) => o)).toEqual(['ready', 'skipped', 'skipped']);
    expect(h.outbox.subjects().filter((s) => s === 'media.ready')).toHaveLength(1);
  });

  it('records a rejected file so it is not retried, and keeps watching', async () => {
    const w = watcher();
    const bad = path.join(dir, 'notes.mp4');
    await writeFile(bad, 'just text, not a video');
    await w.seen(bad);
    await step(w, STABLE);
    await w.seen(bad);
    await step(w, STABLE);
    expect(outcomes).toEqual([
      ['notes.mp4', 'rejected'],
      ['notes.mp4', 'skipped'],
    ]);
  });

  it('picks up files through chokidar, including those present at start', async () => {
    await writeFile(path.join(dir, 'before.png'), await makePng(12, 12));
    const w = watcher();
    await w.start();
    try {
      await until(() => w.pendingCount() === 1);
      await writeFile(path.join(dir, 'after.png'), await makePng(14, 14));
      await until(() => w.pendingCount() === 2);
      await step(w, STABLE);
      expect(outcomes.map(([f, o]) => `${f}:${o}`).sort()).toEqual(['after.png:ready', 'before.png:ready']);
    } finally {
      await w.stop();
    }
  });
});

/** Polls a condition driven by real file-system events (not a timing guess); fails after 10 s. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(cond()).toBe(true);
}
