import type { Mode } from './args';
import type { ManagedProcess } from './managed-process';

/** The product under test in one mode: its processes (by name), where its API and database are. */
export interface Target {
  mode: Mode;
  apiBase: string;
  processes: Map<string, ManagedProcess>;
  /** The file the scheduler's injected clock reads its offset from (SX_TEST_CLOCK_OFFSET_FILE). */
  clockFile: string;
  start(): Promise<void>;
  /** Scheduler's database (the checker reads job states there). */
  databaseUrl(): Promise<string>;
  stop(): Promise<void>;
}

/** Env every product process gets in a chaos run: loopback only, quiet logs, no API throttling. */
export function productEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SX_HOST: '127.0.0.1',
    SX_EGRESS_ALLOW: '127.0.0.1',
    SX_LOG_LEVEL: process.env.SX_LOG_LEVEL ?? 'warn',
    SX_RATE_LIMIT_PER_MIN: '10000000',
    NX_DAEMON: 'false',
    ...extra,
  };
}
