import { randomUUID } from 'node:crypto';
import {
  envelopeSchema,
  streamForSubject,
  subjectMatches,
  type Envelope,
  type EventData,
  type EventDefinition,
  type StreamName,
} from '@sx/contracts';
import { AppError, type Clock } from '@sx/service-kit';
import type { PreparedEvent, PublishMeta } from '../event-bus';

/** Subject tokens: letters, digits, `_` and `-`; no wildcards, no empty tokens. */
const CONCRETE_SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The concrete subject an event is published on: the definition's own, or `meta.subject` when it has wildcards. */
export function resolveSubject(def: EventDefinition, override?: string): string {
  const subject = override ?? def.subject;
  if (!CONCRETE_SUBJECT.test(subject)) {
    throw AppError.validation(`subject "${subject}" must be concrete (no wildcards) for ${def.subject}`);
  }
  if (!subjectMatches(def.subject, subject)) {
    throw AppError.validation(`subject "${subject}" does not match the event's pattern ${def.subject}`);
  }
  return subject;
}

/** Validates `data` against the definition and wraps it in an envelope. */
export function buildEnvelope<D extends EventDefinition>(
  def: D,
  data: EventData<D>,
  meta: PublishMeta,
  clock: Clock,
): Envelope<EventData<D>> {
  const subject = resolveSubject(def, meta.subject);
  const parsed = def.schema.safeParse(data);
  if (!parsed.success) {
    throw AppError.validation(`event ${subject} v${def.version} has an invalid payload`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const envelope = {
    id: meta.id ?? randomUUID(),
    subject,
    version: def.version,
    occurredAt: clock.now().toISOString(),
    workspaceId: meta.workspaceId,
    correlationId: meta.correlationId,
    ...(meta.causationId ? { causationId: meta.causationId } : {}),
    data: parsed.data as EventData<D>,
  };
  assertEnvelope(envelope);
  return envelope;
}

/** The serialised form of a built (so already validated) envelope. */
export function toPrepared(envelope: Envelope): PreparedEvent {
  const { id, subject, correlationId, causationId } = envelope;
  return { id, subject, correlationId, ...(causationId ? { causationId } : {}), body: Buffer.from(JSON.stringify(envelope)) };
}

/** Throws a coded 422 when an already-built envelope is malformed or its subject has no stream. */
export function assertEnvelope(envelope: Envelope): StreamName {
  const parsed = envelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    throw AppError.validation('malformed event envelope', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  if (!CONCRETE_SUBJECT.test(envelope.subject)) throw AppError.validation(`subject "${envelope.subject}" is not concrete`);
  const stream = streamForSubject(envelope.subject);
  if (!stream) throw AppError.validation(`no stream stores subject "${envelope.subject}"`);
  return stream;
}

export type IncomingCheck<T> = { ok: true; envelope: Envelope<T> } | { ok: false; reason: string };

/** Validates a received envelope (already JSON-decoded) against the envelope schema and the event's schema. */
export function checkIncoming<D extends EventDefinition>(def: D, raw: unknown): IncomingCheck<EventData<D>> {
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return { ok: false, reason: `invalid_envelope: ${summarise(env.error.issues)}` };
  if (env.data.version !== def.version) {
    return { ok: false, reason: `unsupported_version: got v${env.data.version}, handler expects v${def.version}` };
  }
  const data = def.schema.safeParse(env.data.data);
  if (!data.success) return { ok: false, reason: `invalid_payload: ${summarise(data.error.issues)}` };
  return { ok: true, envelope: { ...env.data, data: data.data as EventData<D> } };
}

function summarise(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

const PATTERN = /^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$/;
const DURABLE = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks a subscription before any driver touches it; returns the subject pattern to consume. */
export function resolveSubscription(def: EventDefinition, durable: string | undefined, subject: string | undefined): string {
  if (!durable || !DURABLE.test(durable)) {
    throw AppError.validation(`durable name "${durable ?? ''}" must be 1-64 letters, digits, _ or -`);
  }
  const pattern = subject ?? def.subject;
  assertPattern(pattern);
  if (streamForSubject(pattern) !== def.stream) {
    throw AppError.validation(`subject "${pattern}" is not stored in stream ${def.stream} of ${def.subject}`);
  }
  return pattern;
}

/** Throws a coded 422 unless `pattern` is a valid NATS subject pattern (tokens, `*`, trailing `>`). */
export function assertPattern(pattern: string): string {
  if (!PATTERN.test(pattern) && pattern !== '>') throw AppError.validation(`"${pattern}" is not a valid subject pattern`);
  return pattern;
}

/** True when some concrete subject matches both NATS patterns. */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '>' || y[i] === '>') return i < x.length && i < y.length;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return true;
}
