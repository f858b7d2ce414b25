export * from './fake-http-server';
export * from './fake-github';
export * from './fake-debbugs';
export * from './fake-launchpad';
export * from './fake-bugzilla';
