export * from './kit.js';
export * from './interner.js';
export * from './sortedSet.js';
