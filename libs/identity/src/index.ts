export * from './policy';
export * from './token';
export * from './token-authenticator';
export * from './identity.module';
