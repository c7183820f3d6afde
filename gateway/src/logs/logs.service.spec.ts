import { InProcessEventBus } from '@sx/bus';
import type { AppConfig } from '@sx/config';
import { SchedulerLogs } from '@sx/contracts';
import { createLogger, processLogRing, runWithCorrelation } from '@sx/service-kit';
import { Writable } from 'node:stream';
import { LogsService, parseCursor } from './logs.service';

const quiet = () => new Writable({ write: (_c, _e, cb) => cb() });
const config = (mode: AppConfig['mode']) => ({ mode }) as AppConfig;

describe('LogsService', () => {
  it('embedded: reads this process ring, filtered, from a cursor, secrets removed', async () => {
    const bus = new InProcessEventBus();
    const logs = new LogsService(config('embedded'), bus);
    const start = processLogRing.lastSeq;
    const scheduler = createLogger('scheduler', 'info', quiet());
    const publisher = createLogger('publisher', 'info', quiet());
    runWithCorrelation('c-42', () => publisher.error({ accessToken: 'sekrit-token-1' }, 'publish failed with Bearer abcdefghijkl'));
    scheduler.info('tick');
    const all = await logs.read({ limit: 50 }, { local: start });
    expect(all.items.map((l) => [l.service, l.level, l.msg])).toEqual([
      ['publisher', 'error', 'publish failed with Bearer [redacted]'],
      ['scheduler', 'info', 'tick'],
    ]);
    expect(JSON.stringify(all)).not.toContain('sekrit');
    expect((await logs.read({ limit: 50, correlationId: 'c-42' }, { local: start })).items).toHaveLength(1);
    expect((await logs.read({ limit: 50, minLevel: 'warn' }, { local: start })).items.map((l) => l.msg)[0]).toContain('publish failed');
    const after = await logs.read({ limit: 50 }, parseCursor(all.cursor));
    expect(after.items).toEqual([]);
    scheduler.warn('late');
    expect((await logs.read({ limit: 50 }, parseCursor(all.cursor))).items.map((l) => l.msg)).toEqual(['late']);
  });

  it('distributed: asks each service over the bus and names the ones that do not answer', async () => {
    const bus = new InProcessEventBus({ requestTimeoutMs: 500 });
    await bus.handle(SchedulerLogs, async (req) => ({
      ok: true,
      data: { items: [{ seq: 7, time: '2026-12-04T01:00:00.000Z', level: 'info' as const, service: 'scheduler', msg: `after ${req.afterSeq ?? 0}` }], lastSeq: 7 },
    }));
    const logs = new LogsService(config('distributed'), bus);
    const page = await logs.read({ limit: 50 }, parseCursor('scheduler:3'));
    expect(page.items.map((l) => [l.id, l.msg])).toEqual([['scheduler:7', 'after 3']]);
    expect(page.unavailable.sort()).toEqual(['pipeline', 'publisher']);
    expect(parseCursor(page.cursor)['scheduler']).toBe(7);
    await bus.close?.();
  });
});
