export * from './catalogue.records';
export * from './catalogue-snapshot';
export * from './catalogue-reader';
export * from './catalogue-admin.service';
export * from './catalogue.module';
export * from './catalogue.reasons';
