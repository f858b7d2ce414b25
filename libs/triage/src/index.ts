export * from './status-rules';
export * from './triage.service';
export * from './duplicate.service';
export * from './forwarding.service';
export * from './expiry.service';
export * from './triage.module';
