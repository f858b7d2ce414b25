export * from './item.record';
export * from './item-store';
export * from './comment-writer';
