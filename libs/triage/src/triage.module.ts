import { Module } from '@nestjs/common';
import { RoutingModule } from '@headwaters/routing';
import { DuplicateService } from './duplicate.service';
import { ExpiryService } from './expiry.service';
import { ForwardingService } from './forwarding.service';
import { TriageService } from './triage.service';

/** The workflow: triage, duplicates, the forwarding record, needs-info expiry. */
@Module({
  imports: [RoutingModule],
  providers: [TriageService, DuplicateService, ForwardingService, ExpiryService],
  exports: [TriageService, DuplicateService, ForwardingService, ExpiryService],
})
export class TriageModule {}
