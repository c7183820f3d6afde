import type { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { EventData, EventDefinition } from '@sx/contracts';

/** Object storage as the media service needs it (adapter over @sx/storage's OBJECT_STORAGE). */
export interface AssetStore {
  putFile(key: string, file: string, contentType: string): Promise<void>;
  putBuffer(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Byte range is inclusive, like HTTP's. */
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
  stat(key: string): Promise<{ bytes: number } | null>;
  delete(key: string): Promise<void>;
  /** A time-limited direct GET URL in S3 mode; undefined on disk. */
  presignGet(key: string, ttlS: number): Promise<string | undefined>;
  /** A time-limited direct PUT URL (S3 bucket, or /storage/objects on disk); undefined if unsupported. */
  presignPut(key: string, ttlS: number): Promise<string | undefined>;
  /** Multipart uploads whose parts the client PUTs straight to storage (S3 bucket, or /storage/objects on disk). */
  createMultipart(key: string): Promise<string>;
  presignPart(key: string, multipartId: string, partNumber: number, ttlS: number): Promise<string>;
  completeMultipart(key: string, multipartId: string, parts: { partNumber: number; etag: string }[]): Promise<void>;
  /** Idempotent. */
  abortMultipart(key: string, multipartId: string): Promise<void>;
}
export const ASSET_STORE = Symbol('ASSET_STORE');

export interface EventMeta {
  workspaceId: string;
  correlationId: string;
  causationId?: string;
}

/** Appends an event to the transactional outbox inside the caller's transaction. */
export interface MediaEventOutbox {
  append<D extends EventDefinition>(em: EntityManager, def: D, data: EventData<D>, meta: EventMeta): Promise<void>;
}
export const MEDIA_OUTBOX = Symbol('MEDIA_OUTBOX');

/** Who asks, for which workspace; every command and route resolves one. */
export interface IngestActor {
  workspaceId: string;
  actorId: string;
  correlationId: string;
}
