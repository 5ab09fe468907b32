export { exportRun, type ExportResult } from './export';
export { PARITY_TOLERANCE } from './parity';
