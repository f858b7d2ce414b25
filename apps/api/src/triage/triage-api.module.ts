import { Module } from '@nestjs/common';
import { TriageModule } from '@headwaters/triage';
import { VotingModule } from '@headwaters/voting';
import { ItemsApiModule } from '../items/items-api.module';
import { VotingResolver } from '../voting/voting.resolver';
import { TriageResolver } from './triage.resolver';

/** Voting and the maintainers' workflow, over GraphQL. */
@Module({
  imports: [TriageModule, VotingModule, ItemsApiModule],
  providers: [TriageResolver, VotingResolver],
})
export class TriageApiModule {}
