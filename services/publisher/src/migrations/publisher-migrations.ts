import { PublisherInit1763900000000 } from './1763900000000-publisher-init';
import { AttemptOwner1764800000001 } from './1764800000001-attempt-owner';

/** The publisher schema's migrations, in order. */
export const PUBLISHER_MIGRATIONS = [PublisherInit1763900000000, AttemptOwner1764800000001];
