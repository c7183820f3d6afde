import { randomUUID } from 'node:crypto';
import type { Envelope } from '@sx/contracts';
import { AppError, currentCorrelationId } from '@sx/service-kit';
import type { Delivery, EventBus } from '../event-bus';
import { BusTestDispatch, BusTestEvent } from './test-definitions';
import { waitFor } from './wait-for';

type TestDelivery = Delivery<{ n: number; note?: string }>;

const meta = (subject: string, extra: { id?: string; correlationId?: string; causationId?: string } = {}) => ({
  workspaceId: 'ws-1',
  correlationId: extra.correlationId ?? randomUUID(),
  subject: `audit.bustest.${subject}`,
  ...(extra.id ? { id: extra.id } : {}),
  ...(extra.causationId ? { causationId: extra.causationId } : {}),
});

const sub = (subject: string) => `audit.bustest.${subject}`;

export function deliveryContract(getBus: () => EventBus): void {
  it('reports itself healthy once started', async () => {
    expect((await getBus().health()).ok).toBe(true);
  });

  it('rejects an invalid payload or a wildcard subject at publish with a coded 422', async () => {
    const bad = getBus().publish(BusTestEvent, { n: 'x' as unknown as number }, meta('reject'));
    await expect(bad).rejects.toMatchObject({ code: 'validation_failed', status: 422 });
    const wildcard = getBus().publish(BusTestEvent, { n: 1 }, { workspaceId: 'ws-1', correlationId: 'c' });
    await expect(wildcard).rejects.toBeInstanceOf(AppError);
  });

  it('validates subscriptions: bad durable or foreign subject 422, rebinding a durable or overlapping a work queue 409', async () => {
    const bus = getBus();
    const noop = async () => undefined;
    await expect(bus.subscribe(BusTestEvent, noop, { durable: 'bad name!' })).rejects.toMatchObject({ status: 422 });
    await expect(bus.subscribe(BusTestEvent, noop, { durable: 'c-foreign', subject: 'post.published' })).rejects.toMatchObject({ status: 422 });
    const first = await bus.subscribe(BusTestEvent, noop, { durable: 'c-rebind', subject: sub('rebind-a') });
    await expect(bus.subscribe(BusTestEvent, noop, { durable: 'c-rebind', subject: sub('rebind-b') })).rejects.toMatchObject({ status: 409 });
    const wq = await bus.subscribe(BusTestDispatch, noop, { durable: 'c-wq-a', subject: 'dispatch.overlaptest' });
    await expect(bus.subscribe(BusTestDispatch, noop, { durable: 'c-wq-b', subject: 'dispatch.*' })).rejects.toMatchObject({ status: 409 });
    for (const s of [first, wq]) await s.unsubscribe();
  });

  it('drops a second publish with the same event id (dedupe) and delivers the event once', async () => {
    const bus = getBus();
    const got: number[] = [];
    const s = await bus.subscribe(BusTestEvent, async (d) => void got.push(d.envelope.data.n), { durable: 'c-dedupe', subject: sub('dedupe') });
    const id = randomUUID();
    expect(await bus.publish(BusTestEvent, { n: 1 }, meta('dedupe', { id }))).toEqual({ id, duplicate: false });
    expect(await bus.publish(BusTestEvent, { n: 2 }, meta('dedupe', { id }))).toEqual({ id, duplicate: true });
    await bus.publish(BusTestEvent, { n: 3 }, meta('dedupe'));
    await waitFor(() => got.includes(3), 'the sentinel event');
    expect(got.sort()).toEqual([1, 3]);
    await s.unsubscribe();
  });

  it('shares a durable between competing handlers (each event once) and fans out to other durables', async () => {
    const bus = getBus();
    const a: number[] = [];
    const b: number[] = [];
    const other: number[] = [];
    const slow = (list: number[]) => async (d: TestDelivery) => {
      list.push(d.envelope.data.n);
      await new Promise<void>((r) => setTimeout(r, 15));
    };
    const subs = [
      await bus.subscribe(BusTestEvent, slow(a), { durable: 'c-group', subject: sub('group') }),
      await bus.subscribe(BusTestEvent, slow(b), { durable: 'c-group', subject: sub('group') }),
      await bus.subscribe(BusTestEvent, async (d) => void other.push(d.envelope.data.n), { durable: 'c-group-other', subject: sub('group') }),
    ];
    for (let n = 0; n < 20; n++) await bus.publish(BusTestEvent, { n }, meta('group'));
    await waitFor(() => a.length + b.length >= 20 && other.length >= 20, 'all 20 events in both durables');
    const all = [...a, ...b].sort((x, y) => x - y);
    expect(all).toEqual([...Array(20).keys()]);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(other.sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    for (const s of subs) await s.unsubscribe();
  });

  it('redelivers a nak no earlier than its delay, then stops after ack', async () => {
    const bus = getBus();
    const seen: { count: number; at: number }[] = [];
    const s = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        seen.push({ count: d.deliveryCount, at: Date.now() });
        if (d.deliveryCount === 1) await d.nak(400);
        else await d.ack();
      },
      { durable: 'c-nak', subject: sub('nak') },
    );
    await bus.publish(BusTestEvent, { n: 1 }, meta('nak'));
    await waitFor(() => seen.length >= 2, 'the redelivery');
    expect(seen.map((x) => x.count)).toEqual([1, 2]);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(350);
    await bus.publish(BusTestEvent, { n: 2 }, meta('nak'));
    await waitFor(() => seen.length >= 3, 'the next event');
    expect(seen.length).toBe(3);
    await s.unsubscribe();
  });

  it('redelivers a message whose handler outlives ack wait, unless the handler reports it is still working', async () => {
    const bus = getBus();
    const kept: number[] = [];
    const lapsed: number[] = [];
    let lapsedDone = false;
    const keep = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        kept.push(d.deliveryCount);
        for (let i = 0; i < 8; i++) {
          await new Promise<void>((r) => setTimeout(r, 300));
          await d.working();
        }
      },
      { durable: 'c-working', subject: sub('working'), ackWaitMs: 1_000 },
    );
    const lapse = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        lapsed.push(d.deliveryCount);
        // The first delivery stays busy (no working()) until the redelivery has arrived.
        if (d.deliveryCount === 1) await waitFor(() => lapsed.length >= 2, 'the redelivery after ack wait', 8_000);
        else lapsedDone = true;
      },
      { durable: 'c-lapse', subject: sub('lapse'), ackWaitMs: 1_000, concurrency: 2 },
    );
    await bus.publish(BusTestEvent, { n: 1 }, meta('working'));
    await bus.publish(BusTestEvent, { n: 1 }, meta('lapse'));
    await waitFor(() => lapsedDone, 'the lapsed handler to see its redelivery');
    expect(lapsed).toEqual([1, 2]);
    await new Promise<void>((r) => setTimeout(r, 3_000)); // the working handler runs 2.4 s, past 2 ack waits
    expect(kept).toEqual([1]);
    await keep.unsubscribe();
    await lapse.unsubscribe();
  }, 20_000);

  it('retries a throwing handler and then succeeds', async () => {
    const bus = getBus();
    const counts: number[] = [];
    const s = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        counts.push(d.deliveryCount);
        if (d.deliveryCount < 3) throw new Error('transient');
      },
      { durable: 'c-throw', subject: sub('throw') },
    );
    await bus.publish(BusTestEvent, { n: 1 }, meta('throw'));
    await waitFor(() => counts.length >= 3, 'three deliveries');
    expect(counts).toEqual([1, 2, 3]);
    expect((await bus.listDeadLetters()).filter((d) => d.consumer === 'c-throw')).toEqual([]);
    await s.unsubscribe();
  });

  it('dead-letters a terminated event without redelivery', async () => {
    const bus = getBus();
    const counts: number[] = [];
    const s = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        counts.push(d.deliveryCount);
        await d.term('content rejected');
      },
      { durable: 'c-term', subject: sub('term') },
    );
    const { id } = await bus.publish(BusTestEvent, { n: 7 }, meta('term'));
    await waitFor(() => counts.length === 1, 'the delivery');
    const dls = await waitForDeadLetters(bus, 'c-term', 1);
    expect(dls[0]).toMatchObject({ originalSubject: sub('term'), deliveryCount: 1, envelope: { id, data: { n: 7 } } });
    expect(dls[0].reason).toContain('content rejected');
    expect(counts).toEqual([1]);
    await s.unsubscribe();
  });

  it('dead-letters after maxDeliver and replays the dead letter to the consumer', async () => {
    const bus = getBus();
    let accept = false;
    const handled: number[] = [];
    const s = await bus.subscribe(
      BusTestEvent,
      async (d) => {
        if (!accept) return d.nak(20);
        handled.push(d.envelope.data.n);
      },
      { durable: 'c-maxdel', subject: sub('maxdel'), maxDeliver: 2 },
    );
    const { id } = await bus.publish(BusTestEvent, { n: 9 }, meta('maxdel'));
    const [dl] = await waitForDeadLetters(bus, 'c-maxdel', 1);
    expect(dl).toMatchObject({ deliveryCount: 2, envelope: { id } });
    expect(dl.reason).toContain('max_deliveries_exceeded');
    accept = true;
    await bus.replayDeadLetter(dl.id);
    await waitFor(() => handled.length === 1, 'the replayed event');
    expect(handled).toEqual([9]);
    expect((await bus.listDeadLetters()).some((d) => d.id === dl.id)).toBe(false);
    await expect(bus.replayDeadLetter(dl.id)).rejects.toMatchObject({ status: 404 });
    await s.unsubscribe();
  });

  it('dead-letters a received payload that fails its schema instead of calling the handler', async () => {
    const bus = getBus();
    const handled: unknown[] = [];
    const s = await bus.subscribe(BusTestEvent, async (d) => void handled.push(d.envelope.data), { durable: 'c-invalid', subject: sub('invalid') });
    const bad: Envelope = {
      id: randomUUID(), subject: sub('invalid'), version: 1, occurredAt: new Date().toISOString(),
      workspaceId: 'ws-1', correlationId: 'corr-invalid', data: { n: 'not a number' },
    };
    await bus.publishEnvelope(bad);
    await bus.publish(BusTestEvent, { n: 5 }, meta('invalid'));
    const [dl] = await waitForDeadLetters(bus, 'c-invalid', 1);
    await waitFor(() => handled.length === 1, 'the valid event');
    expect(dl.reason).toContain('invalid_payload');
    expect(dl.envelope).toMatchObject({ id: bad.id, data: { n: 'not a number' } });
    expect(handled).toEqual([{ n: 5 }]);
    await s.unsubscribe();
  });

  it('runs handlers inside the event correlation id and carries causation', async () => {
    const bus = getBus();
    const seen: { scope?: string; correlationId: string; causationId?: string }[] = [];
    const s = await bus.subscribe(
      BusTestEvent,
      async (d) => void seen.push({ scope: currentCorrelationId(), correlationId: d.envelope.correlationId, causationId: d.envelope.causationId }),
      { durable: 'c-corr', subject: sub('corr') },
    );
    await bus.publish(BusTestEvent, { n: 1 }, meta('corr', { correlationId: 'corr-42', causationId: 'cause-7' }));
    await waitFor(() => seen.length === 1, 'the delivery');
    expect(seen[0]).toEqual({ scope: 'corr-42', correlationId: 'corr-42', causationId: 'cause-7' });
    await s.unsubscribe();
  });

  it('tails matching events live without acks, and stops after unsubscribe', async () => {
    const bus = getBus();
    const tailed: Envelope[] = [];
    const t = await bus.tail(sub('tail'), (e) => void tailed.push(e));
    await bus.publish(BusTestEvent, { n: 1 }, meta('tail', { correlationId: 'corr-tail' }));
    await bus.publish(BusTestEvent, { n: 2 }, meta('not-tail'));
    await bus.publish(BusTestEvent, { n: 3 }, meta('tail'));
    await waitFor(() => tailed.length >= 2, 'two tailed events');
    expect(tailed.map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(tailed[0]).toMatchObject({ subject: sub('tail'), correlationId: 'corr-tail', workspaceId: 'ws-1' });
    await t.unsubscribe();
    // A second tail that stays subscribed proves the event was published while the first one no longer hears it.
    const after: Envelope[] = [];
    const t2 = await bus.tail(sub('tail'), (e) => void after.push(e));
    await bus.publish(BusTestEvent, { n: 4 }, meta('tail'));
    await waitFor(() => after.length === 1, 'the fourth event on the second tail');
    expect(tailed.length).toBe(2);
    await t2.unsubscribe();
    await expect(bus.tail('audit..bad', () => undefined)).rejects.toMatchObject({ code: 'validation_failed', status: 422 });
  });
}

async function waitForDeadLetters(bus: EventBus, consumer: string, n: number) {
  let found: Awaited<ReturnType<EventBus['listDeadLetters']>> = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    found = (await bus.listDeadLetters(1000)).filter((d) => d.consumer === consumer);
    if (found.length >= n) return found;
    await new Promise<void>((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${n} dead letters for ${consumer}, found ${found.length}`);
}
