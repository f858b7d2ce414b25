export * from './test-database';
export * from './announcements';
