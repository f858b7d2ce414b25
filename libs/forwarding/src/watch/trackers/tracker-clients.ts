import type { UpstreamRecord } from '../record-url';
import { BugzillaClient } from './bugzilla.client';
import { DebbugsClient } from './debbugs.client';
import { GithubClient } from './github.client';
import { LaunchpadClient } from './launchpad.client';
import type { TrackerClientOptions, TrackerReading } from './tracker-client';

/** One client per tracker kind, sharing the options; GitHub's keeps its rate-limit pause. */
export class TrackerClients {
  readonly github: GithubClient;
  readonly debbugs: DebbugsClient;
  readonly launchpad: LaunchpadClient;
  readonly bugzilla: BugzillaClient;

  constructor(options: TrackerClientOptions) {
    this.github = new GithubClient(options);
    this.debbugs = new DebbugsClient(options);
    this.launchpad = new LaunchpadClient(options);
    this.bugzilla = new BugzillaClient(options);
  }

  /** Reads the record from its tracker. */
  read(record: UpstreamRecord, etag: string | null): Promise<TrackerReading> {
    switch (record.kind) {
      case 'GITHUB':
        return this.github.read(record, etag);
      case 'DEBBUGS':
        return this.debbugs.read(record);
      case 'LAUNCHPAD':
        return this.launchpad.read(record);
      case 'BUGZILLA':
        return this.bugzilla.read(record);
    }
  }
}
