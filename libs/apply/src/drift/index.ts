export * from './types';
export * from './marathon-normalise';
export * from './marathon-drift';
export * from './terraform-drift';
export * from './hadoop-drift';
export * from './patch-drift';
export * from './drift';
export * from './report';
