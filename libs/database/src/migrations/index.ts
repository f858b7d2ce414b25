import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { SeedXenServerCatalogue1764000000001 } from './1764000000001-SeedXenServerCatalogue';
import { SearchNewestFirst1764000000002 } from './1764000000002-SearchNewestFirst';
import { ComponentOrderIndexes1764000000003 } from './1764000000003-ComponentOrderIndexes';
import { UpstreamTrackersAndPackages1765200000000 } from './1765200000000-UpstreamTrackersAndPackages';
import { Notifications1765600000000 } from './1765600000000-Notifications';

/** Every migration, in order. Listed explicitly so the build, jest and the CLI all see the same. */
export const MIGRATIONS = [InitialSchema1764000000000, SeedXenServerCatalogue1764000000001, SearchNewestFirst1764000000002, ComponentOrderIndexes1764000000003, UpstreamTrackersAndPackages1765200000000, Notifications1765600000000];
