export * from './snapshot-format';
export * from './snapshot-tables';
export * from './export-snapshot';
export * from './import-snapshot';
export { columnsOf, primaryKeyOf, publicTables } from './table-shape';
