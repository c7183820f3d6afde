export type ServiceName = 'all' | 'gateway' | 'media' | 'pipeline' | 'scheduler' | 'publisher' | 'ai-templates';

export interface DatabaseConfig {
  /** Set in distributed mode; embedded mode starts its own PostgreSQL. */
  url?: string;
  poolSize: number;
  embedded: { port: number; dir: string };
}

export interface BusConfig {
  /**
   * jetstream in distributed mode; postgres (queue tables in the embedded PostgreSQL, durable) in embedded
   * mode; in-process (memory only, not durable) is for tests that build a bus by hand.
   */
  driver: 'jetstream' | 'postgres' | 'in-process';
  natsUrl: string;
  replicas: number;
  duplicateWindowMs: number;
  requestTimeoutMs: number;
  maxDeliver: number;
}

export type StorageConfig =
  | { driver: 'disk'; root: string }
  | { driver: 's3'; endpoint: string; region: string; bucket: string; accessKey: string; secretKey: string };

export interface AppConfig {
  mode: 'embedded' | 'distributed';
  service: ServiceName;
  http: { host: string; port: number; publicUrl: string; trustProxy?: string };
  /** Distributed mode: where the gateway proxies /media and uploads. */
  mediaUrl?: string;
  dataDir: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  database: DatabaseConfig;
  bus: BusConfig;
  storage: StorageConfig;
  plugins: { dir: string; callTimeoutMs: number; memoryMb: number; maxAttempts: number };
  credentials: { keys: { id: string; key: Buffer }[]; activeKeyId?: string };
  auth: {
    issuer: string;
    audience: string;
    accessTokenTtlS: number;
    refreshTokenTtlS: number;
    corsOrigins: string[];
    rateLimitPerMin: number;
    maxBodyBytes: number;
  };
  media: {
    maxBytes: number;
    maxPixels: number;
    maxDurationS: number;
    /** MIME types accepted (sniffed from content); the media service supports a fixed superset. */
    allowedTypes: string[];
    watchDir?: string;
    /** Workspace that owns files dropped into the watch folder. */
    watchWorkspaceId: string;
    autoSchedule: boolean;
  };
  egress: { allow: string[] };
  scheduler: { horizonMs: number; leaseMs: number; lateAlertMs: number };
  pipeline: { definitionsFile?: string; stageMaxAttempts: number; leaseMs: number };
  /** Test-only: file whose content (ms) offsets this process's injected clock (SX_TEST_CLOCK_OFFSET_FILE). */
  testClockOffsetFile?: string;
  ai: {
    provider: 'offline' | 'openai' | 'anthropic';
    baseUrl?: string;
    model?: string;
    apiKey?: string;
    timeoutMs: number;
  };
}
