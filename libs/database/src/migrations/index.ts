import type { MigrationInterface } from 'typeorm';
import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { SeedXenServerCatalogue1764000000001 } from './1764000000001-SeedXenServerCatalogue';
import { SearchNewestFirst1764000000002 } from './1764000000002-SearchNewestFirst';
import { ComponentOrderIndexes1764000000003 } from './1764000000003-ComponentOrderIndexes';
import { ForwardPerUpstream1765000000000 } from './1765000000000-ForwardPerUpstream';
import { ReleaseDatesInRange1765100000000 } from './1765100000000-ReleaseDatesInRange';
import { ApiUsage1765100000001 } from './1765100000001-ApiUsage';
import { HealthProbe1765100000002 } from './1765100000002-HealthProbe';
import { UpstreamTrackersAndPackages1765200000000 } from './1765200000000-UpstreamTrackersAndPackages';
import { JobQueueSchema1765200000001 } from './1765200000001-JobQueueSchema';
import { Deliveries1765200000002 } from './1765200000002-Deliveries';
import { DeliveryForwardKey1765200000003 } from './1765200000003-DeliveryForwardKey';
import { ItemFields1765300000000 } from './1765300000000-ItemFields';
import { SearchIdentifierParts1765400000000 } from './1765400000000-SearchIdentifierParts';
import { ItemHeat1765400000001 } from './1765400000001-ItemHeat';
import { ComponentWords1765400000002 } from './1765400000002-ComponentWords';
import { MailRepliesAndHookDeliveries1765500000000 } from './1765500000000-MailRepliesAndHookDeliveries';
import { ForwardWatches1765500000001 } from './1765500000001-ForwardWatches';
import { Notifications1765600000000 } from './1765600000000-Notifications';
import { NotificationDeliveries1765600000001 } from './1765600000001-NotificationDeliveries';
import { PersistedQueries1765800000000 } from './1765800000000-PersistedQueries';
import { NoticesCheckedAtSend1766300000000 } from './1766300000000-NoticesCheckedAtSend';
import { ItemNumberSequence1766700000000 } from './1766700000000-ItemNumberSequence';
import { ComponentWordDeltas1766700000001 } from './1766700000001-ComponentWordDeltas';
import { CatalogueVersion1766700000002 } from './1766700000002-CatalogueVersion';
import { CascadeIndexes1766800000000 } from './1766800000000-CascadeIndexes';
import { TimelineAnnounces1766800000001 } from './1766800000001-TimelineAnnounces';
import { AnnounceAfterCommit1766800000002 } from './1766800000002-AnnounceAfterCommit';

type MigrationClass = new () => MigrationInterface;

/** The epoch-millisecond timestamp a migration's class name ends with. */
const timestampOf = (migration: MigrationClass): number => Number(/(\d{13})$/.exec(migration.name)?.[1]);

/**
 * Every migration, in order of its timestamp. Listed explicitly so the build, jest and the CLI all
 * see the same; one per line (and merged as a union of lines), sorted here rather than by hand.
 */
export const MIGRATIONS: MigrationClass[] = [
  InitialSchema1764000000000,
  SeedXenServerCatalogue1764000000001,
  SearchNewestFirst1764000000002,
  ComponentOrderIndexes1764000000003,
  ForwardPerUpstream1765000000000,
  ReleaseDatesInRange1765100000000,
  ApiUsage1765100000001,
  HealthProbe1765100000002,
  UpstreamTrackersAndPackages1765200000000,
  JobQueueSchema1765200000001,
  Deliveries1765200000002,
  DeliveryForwardKey1765200000003,
  ItemFields1765300000000,
  SearchIdentifierParts1765400000000,
  ItemHeat1765400000001,
  ComponentWords1765400000002,
  MailRepliesAndHookDeliveries1765500000000,
  ForwardWatches1765500000001,
  Notifications1765600000000,
  NotificationDeliveries1765600000001,
  PersistedQueries1765800000000,
  NoticesCheckedAtSend1766300000000,
  ItemNumberSequence1766700000000,
  ComponentWordDeltas1766700000001,
  CatalogueVersion1766700000002,
  CascadeIndexes1766800000000,
  TimelineAnnounces1766800000001,
  AnnounceAfterCommit1766800000002,
].sort((a, b) => timestampOf(a) - timestampOf(b));
