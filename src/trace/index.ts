/**
 * trace/ turns counterexamples into text: a generic diff of state views and
 * numbered-step rendering. It works on values and strings only (no I/O; file
 * writing stays in cli/) and imports nothing of the project but core/.
 */
export * from './diff.js';
export * from './textTrace.js';
export * from './replay.js';
