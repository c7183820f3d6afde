/**
 * The last few thousand log lines of this process, for the dashboard's Logs panel. pino writes every
 * line here as well as to stdout (see createLogger); lines are kept as written and parsed only when
 * read, so logging stays as cheap as before. pino's redaction has already removed secret fields;
 * `scrubSecrets` also masks secret-looking values inside free text before a line leaves the process.
 */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogLine {
  seq: number;
  time: string;
  level: LogLevelName;
  service: string;
  msg: string;
  correlationId?: string;
  context?: string;
  /** Error message and type when the line carried an error. */
  err?: string;
}

export interface LogQuery {
  afterSeq?: number;
  minLevel?: LogLevelName;
  service?: string;
  correlationId?: string;
  limit?: number;
}

const LEVELS: LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const MAX_LINE_CHARS = 4_000;
const DEFAULT_CAPACITY = 2_000;

export class LogRing {
  private readonly lines: (string | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {
    this.lines = new Array<string | undefined>(capacity);
  }

  /** pino destination: one JSON line per write. */
  write(line: string): void {
    this.seq += 1;
    this.lines[this.next] = `${this.seq}\t${line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line}`;
    this.next = (this.next + 1) % this.capacity;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** Oldest first; at most `limit` (default 200) of the newest lines that match. */
  read(q: LogQuery = {}): LogLine[] {
    const min = LEVELS.indexOf(q.minLevel ?? 'trace');
    const out: LogLine[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const raw = this.lines[(this.next + i) % this.capacity];
      if (!raw) continue;
      const line = parseLine(raw);
      if (!line || line.seq <= (q.afterSeq ?? 0)) continue;
      if (LEVELS.indexOf(line.level) < min) continue;
      if (q.service && line.service !== q.service) continue;
      if (q.correlationId && line.correlationId !== q.correlationId) continue;
      out.push(line);
    }
    return out.slice(-(q.limit ?? 200));
  }
}

function parseLine(raw: string): LogLine | undefined {
  const tab = raw.indexOf('\t');
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(raw.slice(tab + 1)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const level = typeof o['level'] === 'number' ? LEVELS[Math.max(0, Math.min(5, Math.floor((o['level'] as number) / 10) - 1))] : str(o['level']);
  const err = o['err'] as { type?: string; message?: string } | string | undefined;
  const errText = typeof err === 'string' ? err : err?.message ? `${err.type ?? 'Error'}: ${err.message}` : undefined;
  return {
    seq: Number(raw.slice(0, tab)),
    time: str(o['time']) ?? new Date(Number(o['time'] ?? 0)).toISOString(),
    level: (LEVELS.includes(level as LogLevelName) ? level : 'info') as LogLevelName,
    service: str(o['service']) ?? 'unknown',
    msg: scrubSecrets(str(o['msg']) ?? ''),
    correlationId: str(o['correlationId']),
    context: str(o['context']) ?? str(o['component']),
    err: errText ? scrubSecrets(errText) : undefined,
  };
}

const SECRET_PATTERNS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/([?&](?:access_token|refresh_token|token|code|client_secret|password|api_key|key|sig|signature)=)[^&\s"']+/gi, '$1[redacted]'],
  [/("?(?:password|secret|token|accessToken|refreshToken|apiKey|clientSecret|appPassword)"?\s*[:=]\s*"?)[^"\s,}]+/gi, '$1[redacted]'],
  [/\b(sk|pk|xox[abp])-[A-Za-z0-9-]{10,}/g, '[redacted]'],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[redacted]@'],
];

/** Masks tokens, passwords and keys that ended up inside free text (URLs, messages, headers). */
export function scrubSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, [re, by]) => t.replace(re, by), text);
}

/** This process's ring; every logger made by createLogger feeds it. */
export const processLogRing = new LogRing();
