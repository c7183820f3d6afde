import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { waitFor } from '../testing/wait-for';
import { ReplyInbox } from './reply-inbox';

const NATS_URL = process.env['SX_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

describe('ReplyInbox (nats-server at 127.0.0.1:4222)', () => {
  let nc: NatsConnection;
  let responder: NatsConnection;
  const subject = `sx.test.inbox.${process.pid}.${Date.now()}`;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    responder = await connect({ servers: NATS_URL });
    // Echoes "<payload>!" except for payloads starting with "silent", which it never answers.
    responder.subscribe(`${subject}.>`, {
      callback: (_e, m) => {
        if (!m.string().startsWith('silent')) m.respond(`${m.string()}!`);
      },
    });
    await responder.flush();
  });
  afterAll(async () => {
    await nc.close();
    await responder.close();
  });

  it('matches thousands of concurrent replies to their requests', async () => {
    const inbox = new ReplyInbox(nc);
    const replies = await Promise.all(Array.from({ length: 3_000 }, (_, i) => inbox.request(`${subject}.echo`, `m${i}`, 5_000)));
    expect(replies.map((r) => r.string())).toEqual(Array.from({ length: 3_000 }, (_, i) => `m${i}!`));
    expect(inbox.pending).toBe(0);
    inbox.close();
  });

  it('rejects an unanswered request after its timeout, while others with a longer timeout still succeed', async () => {
    const inbox = new ReplyInbox(nc);
    const started = Date.now();
    const silent = inbox.request(`${subject}.x`, 'silent', 200).then(() => 'answered', (e: Error) => e.message);
    const answered = inbox.request(`${subject}.y`, 'ok', 5_000);
    expect((await answered).string()).toBe('ok!');
    expect(await silent).toBe('no reply within 200 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(inbox.pending).toBe(0);
    inbox.close();
  });

  it('holds lingering requests back to share one write, and sends them with the next immediate request', async () => {
    const inbox = new ReplyInbox(nc);
    const publish = jest.spyOn(nc, 'publish');
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const a = inbox.request(`${subject}.a`, 'a', 5_000, undefined, 200);
      await nextTurn();
      const b = inbox.request(`${subject}.b`, 'b', 5_000, undefined, 200);
      await nextTurn();
      expect(publish).not.toHaveBeenCalled();
      expect([(await a).string(), (await b).string()]).toEqual(['a!', 'b!']);
      expect(publish).toHaveBeenCalledTimes(2);

      const c = inbox.request(`${subject}.c`, 'c', 5_000, undefined, 5_000);
      const d = inbox.request(`${subject}.d`, 'd', 5_000);
      await nextTurn();
      expect(publish).toHaveBeenCalledTimes(4);
      expect([(await c).string(), (await d).string()]).toEqual(['c!', 'd!']);

      // A flood does not linger: once enough requests wait, they go out after this turn.
      const flood = Array.from({ length: 100 }, (_, i) => inbox.request(`${subject}.f`, `f${i}`, 5_000, undefined, 5_000));
      await nextTurn();
      expect(publish).toHaveBeenCalledTimes(104);
      expect((await Promise.all(flood)).length).toBe(100);
    } finally {
      publish.mockRestore();
      inbox.close();
    }
  });

  it('sends reply-less publishes in the same lingering writes as requests', async () => {
    const inbox = new ReplyInbox(nc);
    const got: string[] = [];
    const sink = responder.subscribe(`${subject}-sink`, { callback: (_e, m) => void got.push(m.string()) });
    await responder.flush();
    const publish = jest.spyOn(nc, 'publish');
    try {
      for (let i = 0; i < 3; i++) inbox.send(`${subject}-sink`, `s${i}`, 200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(publish).not.toHaveBeenCalled();
      // An immediate request takes the held sends along, in order.
      expect((await inbox.request(`${subject}.r`, 'r', 5_000)).string()).toBe('r!');
      // [subject, has a reply subject]
      expect(publish.mock.calls.map((c) => [c[0], Boolean((c[2] as { reply?: string }).reply)])).toEqual([
        [`${subject}-sink`, false], [`${subject}-sink`, false], [`${subject}-sink`, false], [`${subject}.r`, true],
      ]);
      await responder.flush();
      await nc.flush();
      await waitFor(() => got.length === 3, 'the three sends');
      expect(got).toEqual(['s0', 's1', 's2']);
      expect(inbox.pending).toBe(0);
    } finally {
      publish.mockRestore();
      sink.unsubscribe();
      inbox.close();
    }
  });

  it('fails pending and later requests once closed', async () => {
    const inbox = new ReplyInbox(nc);
    const pending = inbox.request(`${subject}.z`, 'silent', 5_000).catch((e: Error) => e.message);
    inbox.close();
    expect(await pending).toBe('reply inbox closed');
    await expect(inbox.request(`${subject}.z`, 'ok', 1_000)).rejects.toThrow('reply inbox closed');
  });
});
