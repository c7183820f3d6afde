import { z } from 'zod';

/** JetStream streams and the subjects each one captures (DESIGN.md §3). */
export const STREAMS = {
  MEDIA: { subjects: ['media.>'], workQueue: false },
  PIPELINE: { subjects: ['pipeline.>'], workQueue: false },
  POSTS: { subjects: ['post.>'], workQueue: false },
  DISPATCH: { subjects: ['dispatch.>'], workQueue: true },
  AUDIT: { subjects: ['audit.>'], workQueue: false },
  ALERTS: { subjects: ['alert.>'], workQueue: false },
  PLUGINS: { subjects: ['plugin.>'], workQueue: false },
} as const;
export type StreamName = keyof typeof STREAMS;

export interface EventDefinition<T extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  /** Subject pattern; `*` tokens are filled at publish time (e.g. `dispatch.*`). */
  readonly subject: string;
  readonly version: number;
  readonly stream: StreamName;
  readonly schema: T;
}

export interface CommandDefinition<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'command';
  /** Full request subject, always `cmd.<service>.<verb>`. */
  readonly subject: string;
  readonly service: string;
  readonly request: Req;
  readonly response: Res;
}

export type EventData<D extends EventDefinition> = z.infer<D['schema']>;
export type CommandRequest<D extends CommandDefinition> = z.infer<D['request']>;
export type CommandResponse<D extends CommandDefinition> = z.infer<D['response']>;

export function defineEvent<T extends z.ZodType>(
  subject: string,
  version: number,
  stream: StreamName,
  schema: T,
): EventDefinition<T> {
  return { kind: 'event', subject, version, stream, schema };
}

export function defineCommand<Req extends z.ZodType, Res extends z.ZodType>(
  service: string,
  verb: string,
  request: Req,
  response: Res,
): CommandDefinition<Req, Res> {
  return { kind: 'command', subject: `cmd.${service}.${verb}`, service, request, response };
}

/** Which stream stores a concrete subject such as `dispatch.bluesky`. */
export function streamForSubject(subject: string): StreamName | undefined {
  const dot = subject.indexOf('.');
  return streamByFirstToken().get(dot < 0 ? subject : subject.slice(0, dot));
}

let byFirstToken: Map<string, StreamName> | undefined;

/** First subject token -> stream, built once (this lookup runs for every event published). */
function streamByFirstToken(): Map<string, StreamName> {
  if (!byFirstToken) {
    byFirstToken = new Map();
    for (const [name, def] of Object.entries(STREAMS)) {
      for (const s of def.subjects) {
        const first = s.split('.')[0];
        if (!byFirstToken.has(first)) byFirstToken.set(first, name as StreamName);
      }
    }
  }
  return byFirstToken;
}

/** True when a concrete subject matches a NATS pattern (`*` one token, `>` the rest). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
