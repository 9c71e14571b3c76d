/**
 * The public API: what specs, tests and other programs import. Specs import
 * from here only, never from a layer's internals.
 */
export * from './core/index.js';
export * from './core/params.js';
export * from './system/index.js';
export * from './engine/index.js';
export * from './trace/index.js';
