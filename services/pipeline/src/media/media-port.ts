/** What a pipeline stage knows about an asset; bytes are read from object storage by `contentKey`. */
export interface AssetInfo {
  id: string;
  filename: string;
  kind: 'image' | 'video' | 'audio' | 'document';
  mime: string;
  bytes: number;
  status: 'uploaded' | 'processing' | 'ready' | 'rejected';
  metadata: Record<string, unknown>;
  platforms: string[];
  /** Storage key of the original bytes; null until the asset is stored. */
  contentKey: string | null;
}

/** The pipeline's view of the media service (over the bus); faked in unit tests. */
export interface MediaPort {
  describe(workspaceId: string, assetId: string, correlationId: string): Promise<AssetInfo>;
}

export const MEDIA_PORT = Symbol('MEDIA_PORT');
