export * from './route-rules';
export * from './routing.service';
export * from './routing.module';
