export * from './worker.module';
export * from './worker-app';
export * from './scheduling/job-scheduler';
export * from './scheduling/interval-scheduler';
