import type { DataSource } from 'typeorm';

/** A direct upload handed out: its staging object and, for multipart, the storage's upload id. */
export interface StagedUpload {
  uploadId: string;
  workspaceId: string;
  key: string;
  multipartId: string | null;
}

interface LedgerRow {
  upload_id: string;
  workspace_id: string;
  staging_key: string;
  multipart_id: string | null;
}

/**
 * Every direct upload handed out and not yet completed. A client that walks away leaves a staging object
 * or an open multipart upload (parts the bucket keeps, and bills, until aborted); storage cannot tell
 * those from uploads still in progress, so the media service keeps its own list and reaps from it.
 */
export class StagingLedger {
  constructor(private readonly db: DataSource) {}

  async record(u: StagedUpload, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO media.direct_uploads (upload_id, workspace_id, staging_key, multipart_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [u.uploadId, u.workspaceId, u.key, u.multipartId, at],
    );
  }

  async forget(uploadId: string): Promise<void> {
    await this.db.query(`DELETE FROM media.direct_uploads WHERE upload_id = $1`, [uploadId]);
  }

  /** The oldest uploads handed out before `cutoff`. */
  async olderThan(cutoff: Date, limit: number): Promise<StagedUpload[]> {
    const rows = (await this.db.query(
      `SELECT upload_id, workspace_id, staging_key, multipart_id FROM media.direct_uploads WHERE created_at < $1 ORDER BY created_at LIMIT $2`,
      [cutoff, limit],
    )) as LedgerRow[];
    return rows.map((r) => ({ uploadId: r.upload_id, workspaceId: r.workspace_id, key: r.staging_key, multipartId: r.multipart_id }));
  }
}
