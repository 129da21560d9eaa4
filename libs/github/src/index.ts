export * from './retry';
export * from './client';
