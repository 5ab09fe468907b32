export type { SolverName, Denoise, StepInfo } from './types';
