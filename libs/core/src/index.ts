export * from './domain-error';
export * from './actor';
export * from './timeline';
export * from './reasons';
export * from './tracing';
export * from './prepared';
