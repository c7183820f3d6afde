/** Command-line flags of the scheduler benchmark; every shape can be scaled down for a smoke run. */
export type System = 'ours' | 'bullmq' | 'pgboss';
/** Parts of a run: the two shapes, the bus-only baseline and the spread with background jobs. */
export type Part = 'spread' | 'burst' | 'baseline' | 'background';

export interface BenchArgs {
  jobs: number;
  spreadMs: number;
  burst: number;
  background: number;
  leadMs: number;
  maxWaitMs: number;
  systems: System[];
  pgbossBatch: number;
  /** Measured runs per (shape, system); the table shows the median. */
  repeat: number;
  parts: Part[];
}

const SYSTEMS: System[] = ['ours', 'bullmq', 'pgboss'];
const PARTS: Part[] = ['spread', 'burst', 'baseline', 'background'];

function list<T extends string>(argv: string[], name: string, all: T[]): T[] {
  const raw = flag(argv, name);
  const picked = raw ? raw.split(',').map((s) => s.trim()) : all;
  const unknown = picked.filter((s) => !all.includes(s as T));
  if (unknown.length > 0) throw new Error(`--${name} accepts ${all.join(',')}; unknown: ${unknown.join(',')}`);
  return picked as T[];
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function positive(argv: string[], name: string, fallback: number): number {
  const raw = flag(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

export function parseArgs(argv: string[]): BenchArgs {
  const jobs = Math.round(positive(argv, 'jobs', 100_000));
  const systems = list(argv, 'only', SYSTEMS);
  const parts = list(argv, 'parts', PARTS);
  return {
    jobs,
    spreadMs: positive(argv, 'spread', 60) * 1000,
    burst: Math.round(positive(argv, 'burst', Math.max(1, Math.round(jobs / 2)))),
    background: argv.includes('--no-background') || !parts.includes('background') ? 0 : Math.round(positive(argv, 'background', jobs * 10)),
    // Seeding must finish before the first due time: BullMQ's addBulk needs ~0.16 ms per job on a busy 2-core box.
    leadMs: positive(argv, 'lead', (3_000 + jobs * 0.2) / 1000) * 1000,
    maxWaitMs: positive(argv, 'max-wait', 120) * 1000,
    systems,
    parts,
    pgbossBatch: Math.round(positive(argv, 'pgboss-batch', 1_000)),
    repeat: Math.round(positive(argv, 'repeat', 1)),
  };
}
