import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ComponentSuggestionService } from '@headwaters/items';
import { JOB_SCHEDULER, type JobScheduler, type ScheduledJob } from '../scheduling/job-scheduler';

/** Seconds between folds: pending rows stay few, and each fold is one short statement. */
export const COMPONENT_WORDS_FOLD_SECONDS = 5;

/**
 * Folds what filings and edits taught component suggestions into the learned tables, so that the
 * pending changes suggestions read beside them stay few (suggestions see every change at once either way).
 */
@Injectable()
export class ComponentWordsJob implements ScheduledJob, OnApplicationBootstrap {
  readonly name = 'component-words-fold';
  readonly everySeconds = COMPONENT_WORDS_FOLD_SECONDS;

  constructor(
    private readonly suggestions: ComponentSuggestionService,
    @Inject(JOB_SCHEDULER) private readonly scheduler: JobScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.schedule(this);
  }

  async run(): Promise<void> {
    await this.suggestions.foldLearnedWords();
  }
}
