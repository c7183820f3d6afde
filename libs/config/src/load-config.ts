import * as path from 'node:path';
import { envSchema } from './config.schema';
import type { AppConfig } from './app-config';

/** Thrown at start-up; the message names every bad variable and never echoes its value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type RawEnv = Record<string, string | undefined>;

function withoutBlanks(env: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

export function loadConfig(env: RawEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.SX_MODE === 'distributed' && !e.SX_DATABASE_URL) {
    problems.push('SX_DATABASE_URL: required when SX_MODE=distributed');
  }
  if (e.SX_STORAGE === 's3') {
    for (const key of ['SX_S3_ENDPOINT', 'SX_S3_ACCESS_KEY', 'SX_S3_SECRET_KEY'] as const) {
      if (!e[key]) problems.push(`${key}: required when SX_STORAGE=s3`);
    }
  }
  if (e.SX_AI_PROVIDER !== 'offline' && !e.SX_AI_BASE_URL) {
    problems.push(`SX_AI_BASE_URL: required when SX_AI_PROVIDER=${e.SX_AI_PROVIDER}`);
  }
  const credentialKeys = parseKeyRing(e.SX_CREDENTIAL_KEYS, problems);
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.SX_DATA_DIR);
  return {
    mode: e.SX_MODE,
    service: e.SX_SERVICE,
    http: { host: e.SX_HOST, port: e.SX_PORT, publicUrl: e.SX_PUBLIC_URL, trustProxy: e.SX_TRUST_PROXY },
    mediaUrl: e.SX_MEDIA_URL,
    dataDir,
    logLevel: e.SX_LOG_LEVEL,
    database: {
      url: e.SX_DATABASE_URL,
      poolSize: e.SX_DB_POOL_SIZE,
      embedded: { port: e.SX_EMBEDDED_PG_PORT, dir: path.join(dataDir, 'pg') },
    },
    bus: {
      driver: e.SX_MODE === 'distributed' ? 'jetstream' : 'postgres',
      natsUrl: e.SX_NATS_URL,
      replicas: e.SX_NATS_REPLICAS,
      duplicateWindowMs: e.SX_NATS_DUPLICATE_WINDOW_MS,
      requestTimeoutMs: e.SX_BUS_REQUEST_TIMEOUT_MS,
      maxDeliver: e.SX_BUS_MAX_DELIVER,
    },
    storage:
      e.SX_STORAGE === 's3'
        ? {
            driver: 's3',
            endpoint: e.SX_S3_ENDPOINT as string,
            region: e.SX_S3_REGION,
            bucket: e.SX_S3_BUCKET,
            accessKey: e.SX_S3_ACCESS_KEY as string,
            secretKey: e.SX_S3_SECRET_KEY as string,
          }
        : { driver: 'disk', root: path.join(dataDir, 'objects') },
    plugins: {
      dir: path.resolve(e.SX_PLUGINS_DIR),
      callTimeoutMs: e.SX_PLUGIN_CALL_TIMEOUT_MS,
      memoryMb: e.SX_PLUGIN_MEMORY_MB,
      maxAttempts: e.SX_PUBLISH_MAX_ATTEMPTS,
    },
    credentials: { keys: credentialKeys, activeKeyId: e.SX_CREDENTIAL_ACTIVE_KEY ?? credentialKeys[0]?.id },
    auth: {
      issuer: e.SX_JWT_ISSUER,
      audience: e.SX_JWT_AUDIENCE,
      accessTokenTtlS: e.SX_ACCESS_TOKEN_TTL_S,
      refreshTokenTtlS: e.SX_REFRESH_TOKEN_TTL_S,
      corsOrigins: e.SX_CORS_ORIGINS,
      rateLimitPerMin: e.SX_RATE_LIMIT_PER_MIN,
      maxBodyBytes: e.SX_MAX_BODY_BYTES,
    },
    media: {
      maxBytes: e.SX_UPLOAD_MAX_BYTES,
      maxPixels: e.SX_UPLOAD_MAX_PIXELS,
      maxDurationS: e.SX_UPLOAD_MAX_DURATION_S,
      allowedTypes: e.SX_MEDIA_ALLOWED_TYPES,
      watchDir: e.SX_WATCH_DIR ? path.resolve(e.SX_WATCH_DIR) : undefined,
      watchWorkspaceId: e.SX_WATCH_WORKSPACE,
      autoSchedule: e.SX_AUTO_SCHEDULE,
    },
    egress: { allow: e.SX_EGRESS_ALLOW },
    scheduler: {
      horizonMs: e.SX_SCHEDULER_HORIZON_MS,
      leaseMs: e.SX_SCHEDULER_LEASE_MS,
      lateAlertMs: e.SX_SCHEDULER_LATE_ALERT_MS,
    },
    pipeline: {
      definitionsFile: e.SX_PIPELINES_FILE ? path.resolve(e.SX_PIPELINES_FILE) : undefined,
      stageMaxAttempts: e.SX_PIPELINE_STAGE_MAX_ATTEMPTS,
      leaseMs: e.SX_PIPELINE_LEASE_MS,
    },
    testClockOffsetFile: e.SX_TEST_CLOCK_OFFSET_FILE ? path.resolve(e.SX_TEST_CLOCK_OFFSET_FILE) : undefined,
    ai: {
      provider: e.SX_AI_PROVIDER,
      baseUrl: e.SX_AI_BASE_URL,
      model: e.SX_AI_MODEL,
      apiKey: e.SX_AI_API_KEY,
      timeoutMs: e.SX_AI_TIMEOUT_MS,
    },
  };
}

/** `kid1:base64key,kid2:base64key` — each key must decode to 32 bytes (AES-256). */
function parseKeyRing(raw: string | undefined, problems: string[]): { id: string; key: Buffer }[] {
  if (!raw) return [];
  const ring: { id: string; key: Buffer }[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(':');
    const key = b64 ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (!id || key.length !== 32) {
      problems.push(`SX_CREDENTIAL_KEYS: entry "${id ?? '?'}" must be kid:base64 of 32 bytes`);
      continue;
    }
    ring.push({ id, key });
  }
  return ring;
}

