import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A file the watch folder has ingested: path + size + mtime + sha256, so a restart never ingests it twice. */
@Entity({ schema: 'media', name: 'watched_files' })
export class WatchedFileEntity {
  @PrimaryColumn({ type: 'text' })
  path!: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size!: number;

  @Column({ name: 'mtime_ms', type: 'double precision' })
  mtimeMs!: number;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ name: 'asset_id', type: 'uuid', nullable: true })
  assetId!: string | null;

  @Column({ type: 'text' })
  outcome!: 'ready' | 'duplicate' | 'rejected';

  @Column({ name: 'ingested_at', type: 'timestamptz' })
  ingestedAt!: Date;
}
