export * from './policy';
export * from './patterns';
export * from './manifest/types';
export * from './manifest/load';
export * from './helm';
export * from './testing';
