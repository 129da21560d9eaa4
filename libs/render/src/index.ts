export * from './file-map';
export * from './serialize';
export * from './pipeline';
export * from './writer';
export * from './check';
// One home for the memo of derived facts: the model's (the resolved environment uses it too).
export { perObject } from '@infra/model';
export * from './changes';
export * from './patch-plan';
export * from './needs';
export * from './batches';
export * from './reviewed';
export * from './cache-file';
