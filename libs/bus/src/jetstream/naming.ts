import { STREAMS, type StreamName } from '@sx/contracts';

export const DEAD_LETTER_STREAM = 'DEADLETTER';
export const DEAD_LETTER_SUBJECT = 'deadletter';

/** Header names the bus sets besides Nats-Msg-Id. */
/** JetStream's dedupe header: a second publish with the same id inside the duplicate window is dropped. */
export const HDR_MSG_ID = 'Nats-Msg-Id';
export const HDR_CORRELATION = 'Sx-Correlation-Id';
export const HDR_CAUSATION = 'Sx-Causation-Id';

/**
 * Every stream name and subject is prefixed by the namespace, so parallel test suites (and, if wanted,
 * several installations on one NATS) never collide. Production uses ''.
 */
export class Naming {
  constructor(readonly namespace: string) {
    if (!/^[A-Za-z0-9_-]*$/.test(namespace)) {
      throw new Error(`bus namespace "${namespace}" may only hold letters, digits, _ and -`);
    }
  }

  stream(name: StreamName | typeof DEAD_LETTER_STREAM): string {
    return `${this.namespace}${name}`;
  }

  subject(subject: string): string {
    return `${this.namespace}${subject}`;
  }

  /** The bus-level subject of a namespaced wire subject. */
  strip(wireSubject: string): string {
    return wireSubject.startsWith(this.namespace) ? wireSubject.slice(this.namespace.length) : wireSubject;
  }

  deadLetterSubject(consumer: string): string {
    return this.subject(`${DEAD_LETTER_SUBJECT}.${consumer}`);
  }

  /** Every stream this namespace owns, with its wire subjects. */
  allStreams(): { name: string; subjects: string[]; workQueue: boolean }[] {
    const domain = Object.entries(STREAMS).map(([name, def]) => ({
      name: this.stream(name as StreamName),
      subjects: def.subjects.map((s) => this.subject(s)),
      workQueue: def.workQueue,
    }));
    return [...domain, { name: this.stream(DEAD_LETTER_STREAM), subjects: [this.subject(`${DEAD_LETTER_SUBJECT}.>`)], workQueue: false }];
  }

  ownsStream(name: string): boolean {
    return this.allStreams().some((s) => s.name === name);
  }
}
