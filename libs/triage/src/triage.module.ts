import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { DuplicateService } from './duplicate.service';
import { ExpiryService } from './expiry.service';
import { TriageService } from './triage.service';

/** The workflow's use cases: triage, duplicates, needs-info expiry. */
@Module({
  imports: [ItemsModule],
  providers: [TriageService, DuplicateService, ExpiryService],
  exports: [TriageService, DuplicateService, ExpiryService],
})
export class TriageModule {}
