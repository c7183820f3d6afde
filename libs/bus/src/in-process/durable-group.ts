import { subjectMatches, type Envelope, type EventDefinition } from '@sx/contracts';
import type { EventHandler } from '../event-bus';
import type { BusLogger } from '../core/logger';
import { runDelivery } from '../core/run-delivery';
import type { TimerHandle, Timers } from '../core/timers';

export interface PendingMessage {
  /** JSON-decoded copy of the envelope, exactly as a wire driver would hand it over. */
  raw: unknown;
  subject: string;
  deliveryCount: number;
}

export interface Member {
  def: EventDefinition;
  handler: EventHandler<unknown>;
  concurrency: number;
  inFlight: number;
  active: boolean;
}

export interface GroupSettings {
  name: string;
  pattern: string;
  maxDeliver: number;
  ackWaitMs: number;
  timers: Timers;
  logger: BusLogger;
  retryBackoffMs: (deliveryCount: number) => number;
  deadLetter: (consumer: string, subject: string, reason: string, deliveryCount: number, envelope: Envelope) => void;
}

/**
 * One durable consumer: messages queue here until a member has capacity; members compete (round robin),
 * so every message is handled by one member at a time. The group outlives its members, like a durable.
 */
export class DurableGroup {
  private readonly members: Member[] = [];
  private readonly queue: PendingMessage[] = [];
  private readonly delayed = new Set<TimerHandle>();
  private cursor = 0;
  private closed = false;

  constructor(readonly settings: GroupSettings) {}

  matches(subject: string): boolean {
    return subjectMatches(this.settings.pattern, subject);
  }

  addMember(member: Member): void {
    this.members.push(member);
    this.pump();
  }

  removeMember(member: Member): void {
    member.active = false;
    const i = this.members.indexOf(member);
    if (i >= 0) this.members.splice(i, 1);
  }

  enqueue(message: PendingMessage): void {
    this.queue.push(message);
    this.pump();
  }

  close(): void {
    this.closed = true;
    for (const h of this.delayed) this.settings.timers.clearTimeout(h);
    this.delayed.clear();
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const member = this.nextMember();
      if (!member) return;
      const message = this.queue.shift() as PendingMessage;
      this.deliver(member, message);
    }
  }

  private nextMember(): Member | undefined {
    for (let n = 0; n < this.members.length; n++) {
      const m = this.members[(this.cursor + n) % this.members.length];
      if (m.active && m.inFlight < m.concurrency) {
        this.cursor = (this.cursor + n + 1) % this.members.length;
        return m;
      }
    }
    return undefined;
  }

  private deliver(member: Member, message: PendingMessage): void {
    const deliveryCount = message.deliveryCount + 1;
    const { timers, maxDeliver, name } = this.settings;
    member.inFlight++;
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      timers.clearTimeout(ackTimer);
      member.inFlight--;
      queueMicrotask(() => this.pump());
      return true;
    };
    const requeue = (delayMs: number) => this.requeueAfter({ ...message, deliveryCount }, delayMs);
    // A handler that neither settles nor returns within ack wait loses the message to a redelivery.
    const expire = () => {
      if (!finish()) return;
      if (deliveryCount >= maxDeliver) this.deadLetterRaw(message, deliveryCount, `max_deliveries_exceeded: ack wait expired on delivery ${deliveryCount}`);
      else requeue(0);
    };
    let ackTimer = timers.setTimeout(expire, this.settings.ackWaitMs);
    void runDelivery(
      member.def,
      message.raw,
      {
        subject: message.subject,
        deliveryCount,
        maxDeliver,
        ack: async () => {
          finish();
        },
        nak: async (delayMs) => {
          if (finish()) requeue(delayMs);
        },
        working: async () => {
          if (done) return;
          timers.clearTimeout(ackTimer);
          ackTimer = timers.setTimeout(expire, this.settings.ackWaitMs);
        },
        deadLetter: async (reason, envelope) => {
          if (finish()) this.settings.deadLetter(name, message.subject, reason, deliveryCount, envelope);
        },
      },
      member.handler,
      { consumer: name, logger: this.settings.logger, retryBackoffMs: this.settings.retryBackoffMs },
    ).finally(() => finish());
  }

  private deadLetterRaw(message: PendingMessage, deliveryCount: number, reason: string): void {
    this.settings.deadLetter(this.settings.name, message.subject, reason, deliveryCount, message.raw as Envelope);
  }

  private requeueAfter(message: PendingMessage, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.enqueue(message);
      return;
    }
    const handle = this.settings.timers.setTimeout(() => {
      this.delayed.delete(handle);
      this.enqueue(message);
    }, delayMs);
    this.delayed.add(handle);
  }
}
