import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { FakeClock } from '@sx/testing';
import { AssetsRepository } from '../assets/assets.repository';
import { IngestMetrics } from '../ingest/ingest.metrics';
import { IngestService } from '../ingest/ingest.service';
import { MediaProcessor, type MediaLimits } from '../ingest/media-processor';
import { resolveMediaBinaries, type MediaBinaries } from '../ingest/media-tools';
import { SUPPORTED_TYPES } from '../ingest/media-types';
import { buffer } from 'node:stream/consumers';
import { DiskObjectStorage, type ObjectStorage } from '@sx/storage';
import { ObjectStorageAssetStore } from '../infra/object-storage-asset-store';
import { createMediaTestDb, type MediaTestDb } from './media-db';
import { RecordingOutbox } from './recording-outbox';

export interface IngestHarness {
  db: MediaTestDb;
  repo: AssetsRepository;
  store: ObjectStorageAssetStore;
  storage: ObjectStorage;
  /** Every object key in storage. */
  listKeys(): Promise<string[]>;
  readObject(key: string): Promise<Buffer>;
  outbox: RecordingOutbox;
  clock: FakeClock;
  metrics: Registry;
  ingest: IngestService;
  tmp: string;
  close(): Promise<void>;
}

export const DEFAULT_TEST_LIMITS: MediaLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPixels: 40_000_000,
  maxDurationS: 60,
  allowedTypes: Object.keys(SUPPORTED_TYPES),
};

export async function createIngestHarness(
  opts: { limits?: Partial<MediaLimits>; binaries?: MediaBinaries; autoSchedule?: boolean } = {},
): Promise<IngestHarness> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'sx-media-'));
  const db = await createMediaTestDb();
  const clock = new FakeClock('2026-05-01T10:00:00.000Z');
  const repo = new AssetsRepository(db.ds);
  const storage = await DiskObjectStorage.open({ root: path.join(tmp, 'objects'), presignBaseUrl: '/storage/objects', clock });
  const store = new ObjectStorageAssetStore(storage);
  const outbox = new RecordingOutbox();
  const metrics = new Registry();
  const processor = new MediaProcessor({ ...DEFAULT_TEST_LIMITS, ...opts.limits }, opts.binaries ?? resolveMediaBinaries());
  const ingest = new IngestService({
    repo,
    store,
    outbox,
    processor,
    clock,
    logger: pino({ level: 'silent' }),
    metrics: new IngestMetrics(metrics),
    autoSchedule: opts.autoSchedule ?? true,
  });
  return {
    db,
    repo,
    store,
    storage,
    async listKeys() {
      const keys: string[] = [];
      for await (const o of storage.list('')) keys.push(o.key);
      return keys;
    },
    async readObject(key: string) {
      return buffer((await storage.get(key)).stream);
    },
    outbox,
    clock,
    metrics,
    ingest,
    tmp,
    async close() {
      await db.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
