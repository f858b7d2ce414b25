export * from './subscription.records';
export * from './subscription.service';
export * from './fan-out.service';
export * from './inbox.service';
export * from './notice-authorizer';
export * from './live-events.service';
export * from './notifications.module';
