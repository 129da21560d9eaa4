export * from './file-map';
export * from './serialize';
export * from './pipeline';
export * from './writer';
export * from './check';
export * from './memo';
export * from './changes';
export * from './patch-plan';
