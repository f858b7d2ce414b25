export * from './forwarding.reasons';
export * from './forward-rules';
export * from './forward-store';
export * from './forward-queries.service';
export * from './forwarding.service';
export * from './forwarding.module';
export * from './watch';
export * from './delivery';
