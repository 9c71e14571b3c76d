/**
 * trace/ owns counterexamples: a generic diff of state views and numbered-step
 * rendering, strict replay of labels, the counterexample file format (ITF
 * with rrcheck's record), and shrinking. It works on values and strings only
 * (no I/O; file reading and writing stay in cli/) and imports nothing of the
 * project but core/ (and fast-check, for shrinking).
 */
export * from './diff.js';
export * from './textTrace.js';
export * from './replay.js';
export * from './itf.js';
export * from './counterexampleFile.js';
export * from './verdict.js';
export * from './facts.js';
export * from './genericDiagram.js';
export * from './record.js';
export * from './shrink.js';
export * from './render/svg.js';
export * from './render/mermaid.js';
export * from './render/text.js';
export * from './stepping.js';
