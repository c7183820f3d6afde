import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AssetStatus = 'uploaded' | 'processing' | 'ready' | 'rejected';
export type AssetKind = 'image' | 'video' | 'audio' | 'document';
export type AssetSource = 'upload' | 'watch-folder' | 'url-import';

/** Storage keys of what was derived from the original. */
export interface AssetRenditions {
  /** What gets published: images re-encoded with EXIF stripped, videos with container metadata stripped. */
  published?: { key: string; mime: string; bytes: number };
  thumbnail?: { key: string; mime: string; bytes: number };
}

/** One media asset of one workspace. Rejected uploads keep a row (with the reason) but no stored object. */
@Entity({ schema: 'media', name: 'assets' })
@Index('assets_ws_sha_live', ['workspaceId', 'sha256'], { unique: true, where: `status <> 'rejected'` })
@Index('assets_ws_created', ['workspaceId', 'createdAt', 'id'])
export class MediaAssetEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text' })
  filename!: string;

  @Column({ type: 'text' })
  mime!: string;

  @Column({ type: 'text' })
  kind!: AssetKind;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) } })
  bytes!: number;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ type: 'text' })
  status!: AssetStatus;

  /** Machine code of the rejection (`unsupported_type`, ...) or of a degraded state (`no_poster_frame`). */
  @Column({ name: 'status_code', type: 'text', nullable: true })
  statusCode!: string | null;

  @Column({ name: 'status_detail', type: 'text', nullable: true })
  statusDetail!: string | null;

  @Column({ type: 'text' })
  source!: AssetSource;

  @Column({ name: 'storage_key', type: 'text', nullable: true })
  storageKey!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  renditions!: AssetRenditions;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  metadata!: Record<string, unknown>;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  tags!: string[];

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  platforms!: string[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
