export * from './triage.reasons';
export * from './triage.service';
export * from './duplicate.service';
export * from './expiry.service';
export * from './triage.module';
