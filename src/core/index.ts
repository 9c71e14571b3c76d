export * from './model.js';
export * from './result.js';
export * from './exitCodes.js';
export * from './hash.js';
export * from './spec.js';
export * from './diagram.js';
export * from './labels.js';
