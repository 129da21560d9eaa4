export * from './file-map';
export * from './serialize';
