export * from './matchers';
export * from './connectivity-snapshot';
