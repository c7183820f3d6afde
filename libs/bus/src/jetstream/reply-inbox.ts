import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Payload, type Subscription } from '@nats-io/nats-core';

interface Waiter {
  readonly token: string;
  readonly deadline: number;
  resolve(msg: Msg): void;
  reject(err: Error): void;
}

/** How often pending requests are checked against their deadline; timeouts fire at most this late. */
const SWEEP_EVERY_MS = 50;
/** Lingering stops once this many publishes wait: they fill a write already, and waiting would only slow a flood. */
const LINGER_UNTIL = 64;

/**
 * Many concurrent requests over ONE wildcard inbox subscription, with deadlines checked by one sweep.
 *
 * Why not `nc.request`: nats.js sets up a timer (and, by default, an async stack trace) per request, which
 * caps a Node process at ~10-15k JetStream publish-acks or double-acks per second on 2 cores; the server
 * itself stores >100k/s. Here a request is one publish plus a map entry. Requests with the same timeout
 * expire in the order they were made, so each timeout value keeps a FIFO queue and the sweep only looks
 * at queue heads. Publishes that want no reply (`send`) share the same writes.
 */
export class ReplyInbox {
  private readonly prefix = createInbox();
  private readonly waiting = new Map<string, Waiter>();
  private readonly queues = new Map<number, { items: Waiter[]; head: number }>();
  private readonly sub: Subscription;
  private sweeper?: NodeJS.Timeout;
  private seq = 0;
  /** Publishes of the next write; those without a waiter want no reply (`send`). */
  private outgoing: { subject: string; payload: Payload; headers?: MsgHdrs; w?: Waiter }[] = [];
  private closedWith?: Error;
  /** A send is due after this turn of the loop (setImmediate); else, if set, after a linger. */
  private sendSoon = false;
  private lingerTimer?: NodeJS.Timeout;

  constructor(private readonly nc: NatsConnection) {
    this.sub = nc.subscribe(`${this.prefix}.*`, {
      callback: (err, msg) => {
        if (err) return this.failAll(err);
        const token = msg.subject.slice(this.prefix.length + 1);
        const w = this.waiting.get(token);
        if (!w) return; // late reply to a request that already timed out
        this.waiting.delete(token);
        w.resolve(msg);
      },
    });
    void this.sub.closed.then(() => this.failAll(new Error('reply inbox closed')));
  }

  /**
   * Publishes `payload` to `subject` with a reply subject of this inbox; resolves with the reply.
   * `lingerMs` > 0 lets the request wait up to that long for others to share its socket write (for
   * requests nobody is waiting on to start work, such as acks), unless enough are waiting already; 0 sends
   * it after this turn of the loop.
   */
  request(subject: string, payload: Payload, timeoutMs: number, headers?: MsgHdrs, lingerMs = 0): Promise<Msg> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const token = (this.seq++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const w: Waiter = { token, deadline: Date.now() + timeoutMs, resolve, reject };
      this.waiting.set(token, w);
      this.enqueue(timeoutMs, w);
      this.outgoing.push({ subject, payload, headers, w });
      this.scheduleSend(lingerMs);
    });
  }

  /**
   * Publishes `payload` to `subject` with no reply wanted, in the same coalesced writes as requests (and
   * with the same `lingerMs`). Nothing reports a failed send: callers use it where a lost message is
   * recovered otherwise (an unconfirmed ack is followed by a redelivery).
   */
  send(subject: string, payload: Payload, lingerMs = 0): void {
    if (this.closedWith) return;
    this.outgoing.push({ subject, payload });
    this.scheduleSend(lingerMs);
  }

  private scheduleSend(lingerMs: number): void {
    if (this.sendSoon) return;
    if (lingerMs <= 0 || this.outgoing.length >= LINGER_UNTIL) {
      this.sendSoon = true;
      setImmediate(() => this.sendOutgoing());
    } else {
      this.lingerTimer ??= setTimeout(() => this.sendOutgoing(), lingerMs);
    }
  }

  /**
   * Sends everything requested so far in one synchronous run, so nats.js writes it to the socket in one
   * go: on this kind of machine a write on loopback costs 50-100 µs, more than the rest of a request.
   */
  private sendOutgoing(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.sendSoon = false;
    const batch = this.outgoing;
    this.outgoing = [];
    for (const { subject, payload, headers, w } of batch) {
      if (w && this.waiting.get(w.token) !== w) continue;
      try {
        this.nc.publish(subject, payload, w ? { reply: `${this.prefix}.${w.token}`, headers } : { headers });
      } catch (e: unknown) {
        if (!w) continue; // a send's loss is recovered by its caller's protocol (see send)
        this.waiting.delete(w.token);
        w.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** Writes what is still held back (acks among it), then rejects everything pending; later requests fail at once. */
  close(): void {
    this.sendOutgoing();
    this.failAll(new Error('reply inbox closed'));
    this.sub.unsubscribe();
  }

  private enqueue(timeoutMs: number, w: Waiter): void {
    let q = this.queues.get(timeoutMs);
    if (!q) this.queues.set(timeoutMs, (q = { items: [], head: 0 }));
    q.items.push(w);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [timeout, q] of this.queues) {
      while (q.head < q.items.length) {
        const w = q.items[q.head];
        if (this.waiting.get(w.token) === w) {
          if (w.deadline > now) break;
          this.waiting.delete(w.token);
          w.reject(new Error(`no reply within ${timeout} ms`));
        }
        q.head++;
      }
      if (q.head === q.items.length) this.queues.delete(timeout);
      else if (q.head > 1_024 && q.head * 2 > q.items.length) {
        q.items = q.items.slice(q.head);
        q.head = 0;
      }
    }
    if (this.queues.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(err: Error): void {
    this.closedWith ??= err;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.queues.clear();
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
