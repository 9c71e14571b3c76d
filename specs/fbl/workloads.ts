/**
 * Workloads: deterministic programs Prog_i(k) = the destinations process i
 * sends to right after its k-th delivery (k = 0: at start). docs/protocol.md § Workloads.
 *
 * `chain` generalises the paper's Figure 1 to n processes: the "external"
 * message m is sent at start by the last process p(n-1) (as FIG1
 * does, so that chain with n = 3 is exactly FIG1), then each p_i forwards once
 * to p_(i+1). `ring` is the chain plus p(n-1) → p0 after p(n-1)'s first
 * delivery, so p0 receives two messages. `sender-chain` keeps the sender of
 * m apart, as FIG1S does: the chain of the reference implementations.
 * `all-to-all` is symmetric: every process sends one message to every other
 * at start and nothing after, so any renaming of the processes maps the
 * program to itself (up to the order of one batch's sends; see symmetry.ts).
 * It has no causal chains (no send follows a delivery), so no orphan can
 * arise there; `all-to-all-forward` sends to every other process again after
 * the first delivery, and the broken variants' orphans appear (n = 2).
 */

/** program[i][k] = destinations of process i after its k-th delivery. */
export type Program = readonly (readonly (readonly number[])[])[];

export interface Workload {
  readonly id: string;
  readonly description: string;
  /** Fixed process count, or undefined when the workload takes any n ≥ 2. */
  readonly fixedN?: number;
  /**
   * The process renamings the program is invariant under: `true` declares the
   * full symmetric group over the n application processes (the stable host S
   * stays fixed); absent, none (only the identity). The `symmetry` reduction
   * uses it (specs/fbl/symmetry.ts checks the declaration against the program).
   */
  readonly symmetric?: boolean;
  program(n: number): Program;
}

function table(n: number, entries: readonly [from: number, k: number, dests: readonly number[]][]): Program {
  const program: number[][][] = Array.from({ length: n }, () => []);
  for (const [from, k, dests] of entries) {
    const steps = program[from]!;
    while (steps.length <= k) steps.push([]);
    steps[k] = [...dests];
  }
  return program;
}

function chainEntries(n: number): [number, number, number[]][] {
  const entries: [number, number, number[]][] = [[n - 1, 0, [0]]];
  for (let i = 0; i < n - 1; i++) entries.push([i, 1, [i + 1]]);
  return entries;
}

/** Every process sends to every other (in pid order) after each of the deliveries counted in `ks` (0: at start). */
function allToAll(n: number, ks: readonly number[]): [number, number, number[]][] {
  const others = (i: number): number[] => Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
  return Array.from({ length: n }, (_, i) => ks.map((k): [number, number, number[]] => [i, k, others(i)])).flat();
}

export const workloads: readonly Workload[] = [
  {
    id: 'chain',
    description: 'p(n-1) sends m to p0 at start; each p_i forwards once to p_(i+1) (Figure 1 generalised; n = 3 is FIG1)',
    program: (n) => table(n, chainEntries(n)),
  },
  {
    id: 'ring',
    description: 'the chain plus p(n-1) → p0 after its first delivery, so p0 receives two messages',
    program: (n) => {
      const entries = chainEntries(n);
      entries.push([n - 1, 1, [0]]);
      return table(n, entries);
    },
  },
  {
    id: 'sender-chain',
    description:
      'p(n-1) only sends m to p0 at start; p0 → p1 → … → p(n-2) forward once (FIG1S generalised: n = 4 is FIG1S; the references\' "chain")',
    program: (n) => {
      const entries: [number, number, number[]][] = [[n - 1, 0, [0]]];
      for (let i = 0; i < n - 2; i++) entries.push([i, 1, [i + 1]]);
      return table(n, entries);
    },
  },
  {
    id: 'pingpong',
    description: 'PINGPONG: q sends m to p at start; p answers m′ after its first delivery (p = p0, q = p1)',
    fixedN: 2,
    program: (n) => table(n, [[1, 0, [0]], [0, 1, [1]]]),
  },
  {
    id: 'order2',
    description: 'ORDER2: q sends m1, m2 to p at start; p sends m3 to q after its second delivery (order matters)',
    fixedN: 2,
    program: (n) => table(n, [[1, 0, [0, 0]], [0, 2, [1]]]),
  },
  {
    id: 'fig1',
    description: 'FIG1: r sends m to p at start; p → q after its first delivery; q → r after its first (p, q, r = p0, p1, p2)',
    fixedN: 3,
    program: (n) => table(n, chainEntries(n)),
  },
  {
    id: 'fig1s',
    description: 'FIG1S: as FIG1 with m sent by a fourth process s = p3',
    fixedN: 4,
    program: (n) => table(n, [[3, 0, [0]], [0, 1, [1]], [1, 1, [2]]]),
  },
  {
    id: 'w4',
    description: 'W4: q and r race to p at start; p → q after its second delivery; q → r after its first',
    fixedN: 3,
    program: (n) => table(n, [[1, 0, [0]], [2, 0, [0]], [0, 2, [1]], [1, 1, [2]]]),
  },
  {
    id: 'w5',
    description: 'W5: q → p at start and after its first delivery; s → q at start; p → s after its first (p, q, s = p0, p1, p2)',
    fixedN: 3,
    program: (n) => table(n, [[1, 0, [0]], [1, 1, [0]], [2, 0, [1]], [0, 1, [2]]]),
  },
  {
    id: 'all-to-all',
    description:
      'every process sends one message to every other at start (k = 0, in pid order) and nothing after: n(n-1) messages; symmetric under every renaming of the processes (--reduce eager-drop,symmetry)',
    symmetric: true,
    program: (n) => table(n, allToAll(n, [0])),
  },
  {
    id: 'all-to-all-forward',
    description:
      'every process sends one message to every other at start (k = 0) and again after its first delivery (k = 1), in pid order: 2n(n-1) messages, the second round causally dependent on a delivery; symmetric under every renaming of the processes',
    symmetric: true,
    program: (n) => table(n, allToAll(n, [0, 1])),
  },
];

/** The `--workload` value of the star (its message count comes from `--messages`). */
export const STAR_WORKLOAD = 'star';

/**
 * The star of the timed experiments: p1 … p(n-1) send `messages` messages
 * to p0 at start, the j-th (from 0) by p(1 + j mod (n-1)); after its last
 * delivery p0 sends one message to each other process. That message carries
 * the determinants of all of p0's deliveries, so every process hosts them:
 * a crash of p0 then replays exactly `messages` deliveries, whatever f < n.
 */
export function starProgram(n: number, messages: number): Program {
  const counts = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : Math.floor(messages / (n - 1)) + (i - 1 < messages % (n - 1) ? 1 : 0)));
  const entries: [number, number, number[]][] = [];
  for (let i = 1; i < n; i++) if (counts[i]! > 0) entries.push([i, 0, new Array<number>(counts[i]!).fill(0)]);
  entries.push([0, messages, Array.from({ length: n - 1 }, (_, i) => i + 1)]);
  return table(n, entries);
}

export function findWorkload(id: string): Workload | undefined {
  return workloads.find((w) => w.id === id);
}

/** Destinations of process `pid` after its k-th delivery. */
export function destinations(program: Program, pid: number, k: number): readonly number[] {
  return program[pid]?.[k] ?? [];
}
