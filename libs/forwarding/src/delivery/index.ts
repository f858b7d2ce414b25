export * from './delivery.records';
export * from './delivery-outbox';
export * from './delivery.module';
export * from './retry-schedule';
export { webhookSignature } from './channels/webhook-channel';
