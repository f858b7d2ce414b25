export * from './embedded-database';
export * from './data-source-options';
export * from './migrate';
export * from './database.module';
export * from './transaction';
export * from './keyset';
export * from './prepared-reads';
export * from './timestamps';
export { MIGRATIONS } from './migrations';
