export { exportRun, SIGMA_MIN, SIGMA_MAX, type ExportResult } from './export';
export { PARITY_TOLERANCE, type ParityResult } from './parity';
