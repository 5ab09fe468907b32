export * from './elementwise';
export * from './compare';
export * from './shape';
export * from './reduce';
export * from './conv';
export * from './linear';
export * from './norm';
