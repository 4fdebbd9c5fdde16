export {
  copyStore,
  StoreCopyConflictError,
  type CopyProgress,
  type CopyStoreOptions,
  type StoreCopyReport,
  type TableCopyReport,
} from './copy-store';
export { rowText, TableChecksum } from './row-checksum';
export { storeTables, type StoreTable } from './store-tables';
