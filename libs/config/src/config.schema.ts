import { z } from 'zod';
import { FIRST_WORKSPACE_ID } from '@sx/contracts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Every environment variable SchedulerX reads, with its default. The README's table mirrors this. */
export const envSchema = z.object({
  SX_MODE: z.enum(['embedded', 'distributed']).default('embedded'),
  SX_SERVICE: z.enum(['all', 'gateway', 'media', 'pipeline', 'scheduler', 'publisher', 'ai-templates']).default('all'),
  SX_HOST: z.string().min(1).default('127.0.0.1'),
  SX_PORT: port.default(8080),
  SX_DATA_DIR: z.string().min(1).default('./data'),
  SX_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  SX_PUBLIC_URL: z.url().default('http://localhost:8080'),
  /** Express `trust proxy`: hop count or comma-separated addresses/subnets of reverse proxies (gateway). */
  SX_TRUST_PROXY: z.string().regex(/^[0-9a-fA-F.:/, ]+$|^(loopback|linklocal|uniquelocal)(, *(loopback|linklocal|uniquelocal))*$/).optional(),

  SX_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  SX_DB_POOL_SIZE: positiveInt.default(10),
  SX_EMBEDDED_PG_PORT: port.default(54329),

  SX_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  SX_NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  SX_NATS_DUPLICATE_WINDOW_MS: positiveInt.default(120_000),
  SX_BUS_REQUEST_TIMEOUT_MS: positiveInt.default(5_000),
  SX_BUS_MAX_DELIVER: positiveInt.default(5),

  SX_STORAGE: z.enum(['disk', 's3']).default('disk'),
  SX_S3_ENDPOINT: z.url().optional(),
  SX_S3_REGION: z.string().default('us-east-1'),
  SX_S3_BUCKET: z.string().default('schedulerx'),
  SX_S3_ACCESS_KEY: z.string().optional(),
  SX_S3_SECRET_KEY: z.string().optional(),

  SX_MEDIA_URL: z.url().optional(),
  SX_PLUGINS_DIR: z.string().min(1).default('./plugins'),
  SX_PLUGIN_CALL_TIMEOUT_MS: positiveInt.default(30_000),
  SX_PLUGIN_MEMORY_MB: positiveInt.default(256),
  SX_PUBLISH_MAX_ATTEMPTS: positiveInt.default(3),
  SX_CREDENTIAL_KEYS: z.string().optional(),
  SX_CREDENTIAL_ACTIVE_KEY: z.string().optional(),

  SX_JWT_ISSUER: z.string().default('schedulerx'),
  SX_JWT_AUDIENCE: z.string().default('schedulerx-api'),
  SX_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(900).default(900),
  SX_REFRESH_TOKEN_TTL_S: positiveInt.default(30 * 24 * 3600),
  SX_CORS_ORIGINS: csv.default([]),
  SX_RATE_LIMIT_PER_MIN: positiveInt.default(600),
  SX_MAX_BODY_BYTES: positiveInt.default(1_048_576),

  SX_UPLOAD_MAX_BYTES: positiveInt.default(2 * 1024 ** 3),
  SX_UPLOAD_MAX_PIXELS: positiveInt.default(100_000_000),
  SX_UPLOAD_MAX_DURATION_S: positiveInt.default(4 * 3600),
  SX_MEDIA_ALLOWED_TYPES: csv.default(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'video/mp4', 'video/quicktime', 'video/webm']),
  SX_WATCH_DIR: z.string().optional(),
  SX_WATCH_WORKSPACE: z.string().min(1).default(FIRST_WORKSPACE_ID),
  SX_AUTO_SCHEDULE: bool.default(true),
  SX_EGRESS_ALLOW: csv.default([]),

  SX_SCHEDULER_HORIZON_MS: positiveInt.default(30_000),
  SX_SCHEDULER_LEASE_MS: positiveInt.default(60_000),
  SX_SCHEDULER_LATE_ALERT_MS: positiveInt.default(60_000),
  /** Test-only: a file holding a clock offset in ms for this process (the chaos harness's wall-clock step). */
  SX_TEST_CLOCK_OFFSET_FILE: z.string().min(1).optional(),

  SX_PIPELINES_FILE: z.string().optional(),
  SX_PIPELINE_STAGE_MAX_ATTEMPTS: positiveInt.default(3),
  SX_PIPELINE_LEASE_MS: positiveInt.default(60_000),

  SX_AI_PROVIDER: z.enum(['offline', 'openai', 'anthropic']).default('offline'),
  SX_AI_BASE_URL: z.url().optional(),
  SX_AI_MODEL: z.string().optional(),
  SX_AI_API_KEY: z.string().optional(),
  SX_AI_TIMEOUT_MS: positiveInt.default(30_000),
});

export type Env = z.infer<typeof envSchema>;
