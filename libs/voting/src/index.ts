export * from './voting.service';
export * from './voting.module';
