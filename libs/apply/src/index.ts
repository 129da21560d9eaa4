export * from './errors';
export * from './marathon-client';
