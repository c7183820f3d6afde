import { createOutboxMigration } from '@sx/bus';
import { MediaAssetEntity } from './media-asset.entity';
import { WatchedFileEntity } from './watched-file.entity';
import { MediaInit1763840000000 } from './migrations/1763840000000-media-init';
import { DirectUploads1764000000000 } from './migrations/1764000000000-direct-uploads';

export const MEDIA_SCHEMA = 'media';
export const MEDIA_ENTITIES = [MediaAssetEntity, WatchedFileEntity];
export const MEDIA_MIGRATIONS = [createOutboxMigration(MEDIA_SCHEMA), MediaInit1763840000000, DirectUploads1764000000000];
