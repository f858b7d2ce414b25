export * from './worker.module';
export * from './scheduling/job-scheduler';
export * from './scheduling/interval-scheduler';
