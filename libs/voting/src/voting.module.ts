import { Module } from '@nestjs/common';
import { ItemsModule } from '@headwaters/items';
import { VotingService } from './voting.service';

/** Votes and their exact counts. */
@Module({ imports: [ItemsModule], providers: [VotingService], exports: [VotingService] })
export class VotingModule {}
