export * from './kit.js';
export * from './sortedSet.js';
