import { Module } from '@nestjs/common';
import { AppConfig } from '@headwaters/config';
import { ItemsModule } from '@headwaters/items';
import { GithubHookService } from './hooks/github-hook.service';
import { HeldMailService } from './mail/held-mail.service';
import { ReplyDomain, ReplyIntakeService } from './mail/reply-intake.service';
import { TrackerClients } from './trackers/tracker-clients';
import { UpstreamWatchService, WatchSettings } from './upstream-watch.service';
import { WatchQueue } from './watch-queue';
import { WatchSweepService } from './watch-sweep.service';

/** The version sent as User-Agent to trackers (GitHub requires one). */
const USER_AGENT = 'Headwaters (upstream watch)';

function publicHost(publicUrl: string | undefined): string {
  try {
    return publicUrl ? new URL(publicUrl).hostname.toLowerCase() : 'localhost';
  } catch {
    return 'localhost';
  }
}

/**
 * Watching upstreams: linking forwards to the upstreams' records, reading them back on a
 * schedule and through GitHub's webhooks, and replies by mail. Needs the process's JobQueue.
 */
@Module({
  imports: [ItemsModule],
  providers: [
    {
      provide: TrackerClients,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new TrackerClients({ githubApiUrl: c.GITHUB_API_URL, githubToken: c.GITHUB_TOKEN ?? null, launchpadApiUrl: c.LAUNCHPAD_API_URL, timeoutMs: c.WATCH_TIMEOUT_MS, userAgent: USER_AGENT }),
    },
    {
      provide: WatchSettings,
      inject: [AppConfig],
      useFactory: (c: AppConfig) => new WatchSettings({ intervalSeconds: c.WATCH_INTERVAL_SECONDS > 0 ? c.WATCH_INTERVAL_SECONDS : 21_600, backoffSeconds: c.WATCH_BACKOFF_SECONDS, maxBackoffSteps: 6 }),
    },
    {
      provide: ReplyDomain,
      inject: [AppConfig],
      // Message-IDs end in MAIL_FROM's domain or in PUBLIC_URL's host (as notification mails do).
      useFactory: (c: AppConfig) => new ReplyDomain(c.MAIL_FROM.slice(c.MAIL_FROM.lastIndexOf('@') + 1).toLowerCase(), [publicHost(c.PUBLIC_URL)]),
    },
    WatchQueue,
    UpstreamWatchService,
    WatchSweepService,
    GithubHookService,
    ReplyIntakeService,
    HeldMailService,
  ],
  exports: [UpstreamWatchService, WatchSweepService, GithubHookService, ReplyIntakeService, HeldMailService, WatchQueue, ReplyDomain],
})
export class WatchModule {}
