export {
  attachment,
  csvChunks,
  csvField,
  EXPORT_CONTENT_TYPES,
  tableStream,
  xlsxChunks,
  type Cell,
  type TableColumn,
} from './table-stream';
