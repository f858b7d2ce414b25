import { Module } from '@nestjs/common';
import { VotingService } from './voting.service';

/** Votes and their exact counts. */
@Module({ providers: [VotingService], exports: [VotingService] })
export class VotingModule {}
