import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { VotingModule } from '@headwaters/voting';
import { VotingResolver } from './voting.resolver';

/** Votes over GraphQL. */
@Module({
  imports: [VotingModule, ItemsModule],
  providers: [VotingResolver],
})
export class VotingApiModule {}
