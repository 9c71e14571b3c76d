/**
 * The counts of the two independent reference implementations (the
 * prototype and a message-level model for another checker, which agree state
 * for state), for reference.test.ts and reference.slow.test.ts.
 */
import { REFERENCE, type Config } from './support.js';

/** [workload, n, f, distinct states, BFS depth] */
export type Row = readonly [workload: string, n: number, f: number, states: number, depth: number];

export const NONBLOCKING_ROWS: readonly Row[] = [
  ['pingpong', 2, 1, 73, 12],
  ['pingpong', 2, 2, 2_157, 21],
  ['order2', 2, 1, 283, 17],
  ['order2', 2, 2, 14_124, 30],
  ['fig1', 3, 1, 309, 16],
  ['fig1', 3, 2, 87_764, 29],
  ['fig1s', 4, 1, 972, 19],
  ['w4', 3, 1, 892, 21],
  ['w5', 3, 1, 1_433, 18],
  ['sender-chain', 5, 1, 4_653, 23],
];

export const BLOCKING_ROWS: readonly Row[] = [
  ['pingpong', 2, 1, 107, 13],
  ['pingpong', 2, 2, 3_074, 22],
  ['order2', 2, 1, 425, 18],
  ['order2', 2, 2, 20_206, 31],
  ['fig1', 3, 1, 674, 18],
  ['fig1s', 4, 1, 2_752, 22],
  ['w4', 3, 1, 2_080, 23],
  ['w5', 3, 1, 3_416, 20],
];

export function config([workload, n, f]: Row): Config {
  return { ...REFERENCE, workload, n, f };
}

export function name([workload, n, f, states, depth]: Row): string {
  return `${workload} n=${n} f=${f}: ${states.toLocaleString('en-US')} states, depth ${depth}`;
}

