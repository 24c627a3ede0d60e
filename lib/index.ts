export * from './policy';
export * from './patterns';
export * from './manifest/types';
export * from './manifest/load';
export * from './helm';
export * from './testing';
export * from './diff';
export * from './lint';
export { CiliumLockdownValidation, CiliumLockdownValidationProps } from './plugin';
