import { InProcessEventBus } from './in-process-event-bus';
import { ManualTime } from '../testing/manual-time';
import { BusTestDispatch, BusTestEvent } from '../testing/test-definitions';

const meta = (id?: string) => ({ workspaceId: 'ws-1', correlationId: 'c-1', subject: 'audit.bustest.timing', ...(id ? { id } : {}) });

describe('InProcessEventBus with a manual clock', () => {
  let time: ManualTime;
  let bus: InProcessEventBus;

  beforeEach(async () => {
    time = new ManualTime();
    bus = new InProcessEventBus({ clock: time, timers: time, duplicateWindowMs: 60_000, ackWaitMs: 5_000, maxDeliver: 3 });
    await bus.start();
  });
  afterEach(() => bus.close());

  it('forgets an event id once the duplicate window has passed', async () => {
    expect((await bus.publish(BusTestEvent, { n: 1 }, meta('e-1'))).duplicate).toBe(false);
    await time.advance(59_999);
    expect((await bus.publish(BusTestEvent, { n: 1 }, meta('e-1'))).duplicate).toBe(true);
    await time.advance(1);
    expect((await bus.publish(BusTestEvent, { n: 1 }, meta('e-1'))).duplicate).toBe(false);
  });

  it('holds a nak for exactly its delay', async () => {
    const counts: number[] = [];
    await bus.subscribe(BusTestEvent, async (d) => {
      counts.push(d.deliveryCount);
      if (d.deliveryCount === 1) await d.nak(1_000);
    }, { durable: 'timing', subject: 'audit.bustest.timing' });
    await bus.publish(BusTestEvent, { n: 1 }, meta());
    await time.advance(999);
    expect(counts).toEqual([1]);
    await time.advance(1);
    expect(counts).toEqual([1, 2]);
  });

  it('redelivers when a handler outlives ack wait, then dead-letters on the last delivery', async () => {
    const counts: number[] = [];
    await bus.subscribe(BusTestEvent, async (d) => {
      counts.push(d.deliveryCount);
      await new Promise<void>(() => undefined); // never settles
    }, { durable: 'stuck', subject: 'audit.bustest.timing' });
    await bus.publish(BusTestEvent, { n: 1 }, meta('stuck-1'));
    await time.advance(5_000);
    expect(counts).toEqual([1, 2]);
    await time.advance(10_000);
    expect(counts).toEqual([1, 2, 3]);
    const [dl] = await bus.listDeadLetters();
    expect(dl).toMatchObject({ consumer: 'stuck', deliveryCount: 3, envelope: { id: 'stuck-1' } });
    expect(dl.reason).toContain('ack wait expired');
    expect(dl.failedAt).toBe(time.now().toISOString());
  });

  it('keeps work-queue events nobody consumes yet and hands them to the first durable', async () => {
    await bus.publish(BusTestDispatch, { jobId: 'j-1' }, { workspaceId: 'ws-1', correlationId: 'c', subject: 'dispatch.bluesky' });
    await bus.publish(BusTestEvent, { n: 1 }, meta());
    const jobs: string[] = [];
    const events: number[] = [];
    await bus.subscribe(BusTestDispatch, async (d) => void jobs.push(d.envelope.data.jobId), { durable: 'bsky', subject: 'dispatch.bluesky' });
    await bus.subscribe(BusTestEvent, async (d) => void events.push(d.envelope.data.n), { durable: 'late', subject: 'audit.bustest.timing' });
    await time.advance(0);
    expect(jobs).toEqual(['j-1']);
    expect(events).toEqual([]);
  });

  it('refuses to bind one durable to two subjects and refuses work after close', async () => {
    await bus.subscribe(BusTestEvent, async () => undefined, { durable: 'one', subject: 'audit.bustest.a' });
    await expect(bus.subscribe(BusTestEvent, async () => undefined, { durable: 'one', subject: 'audit.bustest.b' })).rejects.toMatchObject({ status: 409 });
    await bus.close();
    await expect(bus.publish(BusTestEvent, { n: 1 }, meta())).rejects.toMatchObject({ code: 'bus_closed', status: 503 });
    expect((await bus.health()).ok).toBe(false);
  });
});
