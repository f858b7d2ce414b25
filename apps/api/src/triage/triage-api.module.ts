import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { TriageModule } from '@headwaters/triage';
import { TriageResolver } from './triage.resolver';

/** The maintainers' workflow over GraphQL: triage and duplicates. */
@Module({
  imports: [TriageModule, ItemsModule],
  providers: [TriageResolver],
})
export class TriageApiModule {}
