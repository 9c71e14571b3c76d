/**
 * Workloads a user writes or draws: a program given as JSON (a file or the
 * `--workload` value itself), and the seeded random generator.
 *
 * The JSON form lists, for each process p0, p1, …, what it sends after its
 * k-th delivery (k = 0: at start), as `after[k]`, a list of destination
 * process numbers in send order:
 *
 *     { "n": 3,
 *       "processes": [
 *         { "after": [[], [1]] },      p0: after its 1st delivery, one message to p1
 *         { "after": [[], [2]] },      p1: after its 1st delivery, one to p2
 *         { "after": [[0]] } ] }       p2: at start, one to p0
 *
 * (chain with n = 3). `n` may be left out; given, it must be the number of
 * processes. `description` (a string) may say what the program is for; it is
 * not part of the program. Everything here is pure: reading a file is the
 * CLI's business, and a mistake is returned as a one-line reason naming its
 * place (`processes[1].after[2]: destination 5 is not a process (n = 3)`).
 */
import { MAX_PROCESSES, MAX_SEQ } from './types.js';
import type { Program } from './workloads.js';

/** A parse result: the program, or why the text is not one. */
export type ParsedProgram = { readonly program: Program } | { readonly why: string };

const TOP_FIELDS = ['n', 'processes', 'description'];
const PROCESS_FIELDS = ['after'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownField(record: Record<string, unknown>, known: readonly string[]): string | undefined {
  return Object.keys(record).find((k) => !known.includes(k));
}

/**
 * Parses and checks a program's JSON text. Checks, each failing with its own
 * message: JSON syntax; the fields; n (2…15, equal to the number of
 * processes); each destination (a process number, not the sender itself);
 * the packing limits (at most 63 sends per process, 63 deliveries per
 * process); and that every non-empty `after[k]` can be reached: without
 * failures a process delivers exactly the messages the program sends it, so
 * a send after a later delivery would happen only through a protocol error
 * (almost always a mistake in the file).
 */
export function parseProgram(text: string): ParsedProgram {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { why: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isObject(json)) return { why: 'must be a JSON object with "processes" (and optionally "n")' };
  const extra = unknownField(json, TOP_FIELDS);
  if (extra !== undefined) return { why: `unknown field "${extra}" (fields: ${TOP_FIELDS.join(', ')})` };
  if (json['description'] !== undefined && typeof json['description'] !== 'string') return { why: 'description: must be a string' };
  const processes = json['processes'];
  if (processes === undefined) return { why: 'processes: missing (one entry per process, each { "after": [...] })' };
  if (!Array.isArray(processes)) return { why: 'processes: must be an array, one entry per process' };
  const n = processes.length;
  if (json['n'] !== undefined) {
    const given = json['n'];
    if (typeof given !== 'number' || !Number.isInteger(given)) return { why: 'n: must be an integer' };
    if (given !== n) return { why: `n: is ${given}, but processes lists ${n}` };
  }
  if (n < 2 || n > MAX_PROCESSES) return { why: `processes: lists ${n}; a program has 2 to ${MAX_PROCESSES} processes` };
  const program: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const place = `processes[${i}]`;
    const entry: unknown = processes[i];
    if (!isObject(entry)) return { why: `${place}: must be an object { "after": [...] }` };
    const other = unknownField(entry, PROCESS_FIELDS);
    if (other !== undefined) return { why: `${place}: unknown field "${other}" (fields: ${PROCESS_FIELDS.join(', ')})` };
    const after = entry['after'];
    if (after === undefined) return { why: `${place}.after: missing (after[k]: the destinations p${i} sends to after its k-th delivery)` };
    if (!Array.isArray(after)) return { why: `${place}.after: must be an array (after[k]: the destinations after the k-th delivery)` };
    const steps: number[][] = [];
    let sends = 0;
    for (let k = 0; k < after.length; k++) {
      const batch: unknown = after[k];
      if (!Array.isArray(batch)) return { why: `${place}.after[${k}]: must be an array of destination process numbers` };
      for (const dest of batch) {
        if (typeof dest !== 'number' || !Number.isInteger(dest)) return { why: `${place}.after[${k}]: destination ${JSON.stringify(dest)} is not a process number (0…${n - 1})` };
        if (dest < 0 || dest >= n) return { why: `${place}.after[${k}]: destination ${dest} is not a process (n = ${n})` };
        if (dest === i) return { why: `${place}.after[${k}]: destination ${dest} is p${i} itself (a process sends only to others)` };
      }
      sends += batch.length;
      steps.push([...(batch as number[])]);
    }
    if (sends > MAX_SEQ) return { why: `${place}: sends ${sends} messages; at most ${MAX_SEQ} per process` };
    while (steps.length > 0 && steps[steps.length - 1]!.length === 0) steps.pop();
    program.push(steps);
  }
  const unreachable = checkReachable(program);
  return unreachable === undefined ? { program } : { why: unreachable };
}

/**
 * The first send that no failure-free run reaches, or a process that would
 * deliver more than the packing allows: the sends reached so far tell how
 * many messages each process delivers, which reaches more of its `after`
 * (a fixpoint; the order of deliveries does not change the counts).
 */
function checkReachable(program: Program): string | undefined {
  const n = program.length;
  const reached = new Array<number>(n).fill(0); // batches k < reached[i] counted
  const received = new Array<number>(n).fill(0);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < n; i++) {
      const steps = program[i]!;
      while (reached[i]! < steps.length && reached[i]! <= received[i]!) {
        for (const dest of steps[reached[i]!]!) received[dest]!++;
        reached[i]!++;
        changed = true;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (received[i]! > MAX_SEQ) return `processes: p${i} receives ${received[i]} messages; at most ${MAX_SEQ} per process`;
    const steps = program[i]!;
    for (let k = received[i]! + 1; k < steps.length; k++) {
      if (steps[k]!.length > 0) {
        return `processes[${i}].after[${k}]: never reached: the program sends p${i} only ${received[i]} message${received[i] === 1 ? '' : 's'}`;
      }
    }
  }
  return undefined;
}

/** The canonical JSON text of a program: compact, n first, trailing empty batches left out; `parseProgram` reads it back. */
export function programText(program: Program): string {
  const trimmed = program.map((steps) => {
    const after = steps.map((batch) => [...batch]);
    while (after.length > 0 && after[after.length - 1]!.length === 0) after.pop();
    return { after };
  });
  return JSON.stringify({ n: program.length, processes: trimmed });
}

/** The total number of messages a program sends in a failure-free run (every send of a valid program is reached). */
export function messageCount(program: Program): number {
  return program.reduce((sum, steps) => sum + steps.reduce((s, batch) => s + batch.length, 0), 0);
}

/** The largest message budget of `--workload random`. */
export const MAX_RANDOM_MESSAGES = MAX_SEQ;

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same sequence on every platform. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random program of n processes sending exactly `messages` messages,
 * determined by `seed`. Each message in turn: a sender drawn among the n
 * processes; the delivery after which it is sent drawn among those the
 * sender is sure to reach (0 up to the number of messages sent to it so
 * far); a destination drawn among the other processes. So every send is
 * reached, causal chains arise as often as independent sends, and
 * `parseProgram(programText(p))` accepts the result.
 */
export function randomProgram(n: number, messages: number, seed: number): Program {
  if (!Number.isInteger(n) || n < 2 || n > MAX_PROCESSES) throw new RangeError(`randomProgram: n = ${n}`);
  if (!Number.isInteger(messages) || messages < 1 || messages > MAX_RANDOM_MESSAGES) throw new RangeError(`randomProgram: messages = ${messages}`);
  const next = generator(seed);
  const pick = (count: number) => Math.min(count - 1, Math.floor(next() * count));
  const program: number[][][] = Array.from({ length: n }, () => []);
  const received = new Array<number>(n).fill(0);
  for (let m = 0; m < messages; m++) {
    const from = pick(n);
    const k = pick(received[from]! + 1);
    const other = pick(n - 1);
    const dest = other >= from ? other + 1 : other;
    const steps = program[from]!;
    while (steps.length <= k) steps.push([]);
    steps[k]!.push(dest);
    received[dest]!++;
  }
  return program;
}
