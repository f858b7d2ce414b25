export * from './voting.service';
export * from './voting.module';
export * from './voting.reasons';
