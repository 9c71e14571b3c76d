/**
 * The explored state graph, recorded compactly for BFS's cycle check, and the
 * check itself.
 *
 * BFS expands states in store-index order (level by level, each level in the
 * order its states were stored), so the graph is a CSR layout built as it
 * goes: per expanded state the position of its first outgoing transition, and
 * per transition the store index of its target (4 bytes each). A state's
 * transitions are stored in the order of its `actions()`, so a transition's
 * position minus its state's offset is the action's index. Both lists live in
 * fixed chunks of 2^16 entries past the first (which doubles from 1,024), so
 * growing never copies more than one small chunk.
 *
 * `findLasso` first runs Kahn's algorithm (8 bytes per state: in-degrees and
 * a queue), which settles the common case, an acyclic graph, cheaply. Only if
 * a cycle exists does it run an iterative Tarjan SCC (20 bytes per state): a
 * cycle lies in a strongly connected component of two states or more, or is
 * a self-loop. It returns a
 * short lasso: the loop starts at the state of such a component with the least
 * BFS index (index order is level order, so no state on any cycle is closer to
 * an initial state, and its parent-link path is the stem), and the loop is a
 * shortest cycle through it within its component (a BFS restricted to it).
 */

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const FIRST_CHUNK = 1024;
const MAX_ENTRIES = 0x7fffffff - CHUNK;

/** A growable list of int32 in chunks: append and random read, never a big copy. */
class IntList {
  private chunks: Int32Array[] = [];
  private capacity = 0;
  length = 0;

  push(value: number): void {
    const i = this.length;
    if (i === this.capacity) this.grow();
    this.chunks[i >>> CHUNK_BITS]![i & CHUNK_MASK] = value;
    this.length = i + 1;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]![i & CHUNK_MASK]!;
  }

  bytesAllocated(): number {
    let bytes = 0;
    for (const c of this.chunks) bytes += c.byteLength;
    return bytes;
  }

  /** The entries as one array (a copy). */
  toArray(): Int32Array {
    const out = new Int32Array(this.length);
    for (let c = 0, from = 0; from < this.length; c++) {
      const chunk = this.chunks[c]!;
      const length = Math.min(chunk.length, this.length - from);
      out.set(chunk.subarray(0, length), from);
      from += length;
    }
    return out;
  }

  private grow(): void {
    if (this.capacity < CHUNK) {
      const size = this.capacity === 0 ? FIRST_CHUNK : Math.min(CHUNK, this.capacity * 2);
      const first = new Int32Array(size);
      if (this.capacity > 0) first.set(this.chunks[0]!);
      this.chunks[0] = first;
      this.capacity = size;
      return;
    }
    if (this.capacity >= MAX_ENTRIES) throw new Error('the recorded state graph is full (2^31 entries); run with cycleCheck off');
    this.chunks.push(new Int32Array(CHUNK));
    this.capacity += CHUNK;
  }
}

/** A lasso in the recorded graph: a stored state, and the action indices of a cycle from it back to it. */
export interface GraphLasso {
  /** Store index of the state where the loop starts. */
  readonly start: number;
  /** Action indices (into each state's `actions()`) along the loop; length ≥ 1. */
  readonly loop: readonly number[];
}

/** A recorded graph as arrays (exportArrays, restore): what a checkpoint saves of it. */
export interface GraphArrays {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** Present when the graph records action indices (partial-order reduction). */
  readonly actions?: Int32Array;
  readonly reduced: Uint8Array;
}

export class StateGraph {
  /** offsets.get(v): position of state v's first transition; one more entry closes the last state. */
  private readonly offsets = new IntList();
  private readonly targets = new IntList();
  /**
   * The action index of each transition, kept only when some states record a
   * subset of their actions (partial-order reduction); otherwise a
   * transition's position in its state's row is its action index.
   */
  private readonly actions: IntList | undefined;

  /** reduced[v] = 1: state v was expanded by a subset of its actions (partial-order reduction). */
  private reduced = new Uint8Array(0);

  constructor(options: { readonly recordActions?: boolean } = {}) {
    this.actions = options.recordActions === true ? new IntList() : undefined;
  }

  /** The graph as arrays, for a checkpoint (`StateGraph.restore` rebuilds it). */
  exportArrays(): GraphArrays {
    return {
      offsets: this.offsets.toArray(),
      targets: this.targets.toArray(),
      ...(this.actions === undefined ? {} : { actions: this.actions.toArray() }),
      reduced: this.reduced.slice(),
    };
  }

  /** A graph equal to the one `arrays` were exported from. */
  static restore(arrays: GraphArrays): StateGraph {
    const graph = new StateGraph({ recordActions: arrays.actions !== undefined });
    for (const v of arrays.offsets) graph.offsets.push(v);
    for (const t of arrays.targets) graph.targets.push(t);
    if (arrays.actions !== undefined) for (const a of arrays.actions) graph.actions!.push(a);
    graph.reduced = arrays.reduced.slice();
    return graph;
  }

  /** Marks the current state (the last begun) as expanded by a subset of its actions. */
  markReduced(): void {
    const v = this.offsets.length - 1;
    if (v >= this.reduced.length) {
      const grown = new Uint8Array(Math.max(1024, this.reduced.length * 2, v + 1));
      grown.set(this.reduced);
      this.reduced = grown;
    }
    this.reduced[v] = 1;
  }

  /**
   * Whether some cycle of the graph passes only through states marked
   * reduced: the cycle proviso of partial-order reduction fails exactly
   * then (a step enabled all along such a cycle could be put off forever).
   * Kahn's algorithm on the subgraph of marked states.
   */
  hasReducedCycle(): boolean {
    const reduced = this.reduced;
    const n = Math.min(this.offsets.length, reduced.length);
    const offsets = this.offsets;
    const end = (v: number) => (v + 1 < offsets.length ? offsets.get(v + 1) : this.targets.length);
    return !this.acyclic(n, (v) => offsets.get(v), end, (v) => reduced[v] === 1);
  }
  /** Bytes of the check's working arrays (kept for the statistics after they are freed). */
  checkBytes = 0;

  /** States whose transitions have been recorded (0 .. states-1). */
  get states(): number {
    return this.offsets.length;
  }

  get transitions(): number {
    return this.targets.length;
  }

  /** Starts the transitions of state `index`, which must be the next state in index order. */
  beginState(index: number): void {
    if (index !== this.offsets.length) throw new Error(`internal: state graph expects state ${this.offsets.length} next, got ${index}`);
    this.offsets.push(this.targets.length);
  }

  /**
   * Records a transition of the current state, by the action at `action` in
   * its `actions()`, to stored state `target`. Without `recordActions`, the
   * current state's transitions must be recorded for every action, in order.
   */
  addTransition(target: number, action: number): void {
    this.targets.push(target);
    this.actions?.push(action);
  }

  /** Bytes held by the graph, plus the largest working arrays a check used. */
  bytesAllocated(): number {
    return this.offsets.bytesAllocated() + this.targets.bytesAllocated() + (this.actions?.bytesAllocated() ?? 0) + this.reduced.byteLength + this.checkBytes;
  }

  /** The action index of the transition at position `e` of state `v`'s row, which starts at `rowStart`. */
  private actionAt(e: number, rowStart: number): number {
    return this.actions === undefined ? e - rowStart : this.actions.get(e);
  }

  /**
   * A short lasso over the graph of `stateCount` states (states not recorded
   * have no transitions), or undefined if the graph has no cycle.
   */
  findLasso(stateCount: number): GraphLasso | undefined {
    const n = stateCount;
    const offsets = this.offsets;
    const targets = this.targets;
    const recorded = offsets.length;
    const totalEdges = targets.length;
    const first = (v: number) => (v < recorded ? offsets.get(v) : totalEdges);
    const end = (v: number) => (v + 1 < recorded ? offsets.get(v + 1) : totalEdges);
    if (this.acyclic(n, first, end)) return undefined;

    // Tarjan, iterative. num[v]: 0 unvisited, > 0 preorder number while on the
    // SCC stack, -(c + 1) once v is in finished component c.
    const num = new Int32Array(n);
    const low = new Int32Array(n);
    const sccStack = new Int32Array(n);
    const callNode = new Int32Array(n);
    const callEdge = new Int32Array(n);
    this.checkBytes = Math.max(this.checkBytes, 5 * 4 * n);
    let counter = 0;
    let sp = 0;
    let components = 0;
    let best = n; // least state index in a component with a cycle
    let bestComponent = -1;
    for (let root = 0; root < n; root++) {
      if (num[root] !== 0) continue;
      let csp = 0;
      counter++;
      num[root] = low[root] = counter;
      sccStack[sp++] = root;
      callNode[csp] = root;
      callEdge[csp] = first(root);
      csp++;
      while (csp > 0) {
        const v = callNode[csp - 1]!;
        const e = callEdge[csp - 1]!;
        if (e < end(v)) {
          callEdge[csp - 1] = e + 1;
          const w = targets.get(e);
          const nw = num[w]!;
          if (nw === 0) {
            counter++;
            num[w] = low[w] = counter;
            sccStack[sp++] = w;
            callNode[csp] = w;
            callEdge[csp] = first(w);
            csp++;
          } else if (nw > 0 && nw < low[v]!) {
            low[v] = nw;
          }
          continue;
        }
        csp--;
        if (low[v] === num[v]) {
          const c = components++;
          let size = 0;
          let least = n;
          let w: number;
          do {
            w = sccStack[--sp]!;
            num[w] = -(c + 1);
            size++;
            if (w < least) least = w;
          } while (w !== v);
          if (least < best && (size > 1 || this.hasSelfLoop(v, first(v), end(v)))) {
            best = least;
            bestComponent = c;
          }
        }
        if (csp > 0) {
          const u = callNode[csp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
    if (bestComponent < 0) return undefined;

    // A shortest cycle through `best` inside its component: BFS from it until
    // a transition returns to it. Reuses the arrays: low as the transition
    // that reached a state (-1: not reached), callNode as the state it left,
    // sccStack as the queue.
    const tag = -(bestComponent + 1);
    const via = low.fill(-1);
    const from = callNode;
    const queue = sccStack;
    let head = 0;
    let tail = 0;
    queue[tail++] = best;
    while (head < tail) {
      const u = queue[head++]!;
      for (let e = first(u), stop = end(u); e < stop; e++) {
        const w = targets.get(e);
        if (num[w] !== tag) continue;
        if (w === best) {
          // Closed: walk back to `best`, collecting action indices.
          const loop: number[] = [this.actionAt(e, first(u))];
          for (let x = u; x !== best; x = from[x]!) loop.push(this.actionAt(via[x]!, first(from[x]!)));
          loop.reverse();
          return { start: best, loop };
        }
        if (via[w] !== -1) continue;
        via[w] = e;
        from[w] = u;
        queue[tail++] = w;
      }
    }
    throw new Error('internal: no cycle through the start of a cyclic component');
  }

  /**
   * Kahn's algorithm: true iff removing states without predecessors removes
   * them all. With `member`, on the subgraph of the states it accepts only.
   */
  private acyclic(n: number, first: (v: number) => number, end: (v: number) => number, member: (v: number) => boolean = () => true): boolean {
    const targets = this.targets;
    const indegree = new Int32Array(n);
    let members = 0;
    for (let v = 0; v < n; v++) {
      if (!member(v)) continue;
      members++;
      for (let e = first(v), stop = end(v); e < stop; e++) {
        const w = targets.get(e);
        if (w < n && member(w)) indegree[w]!++;
      }
    }
    const queue = new Int32Array(members);
    this.checkBytes = Math.max(this.checkBytes, indegree.byteLength + queue.byteLength);
    let tail = 0;
    for (let v = 0; v < n; v++) if (member(v) && indegree[v] === 0) queue[tail++] = v;
    for (let head = 0; head < tail; head++) {
      const u = queue[head]!;
      for (let e = first(u), stop = end(u); e < stop; e++) {
        const w = targets.get(e);
        if (w < n && member(w) && --indegree[w]! === 0) queue[tail++] = w;
      }
    }
    return tail === members;
  }

  private hasSelfLoop(v: number, from: number, to: number): boolean {
    for (let e = from; e < to; e++) if (this.targets.get(e) === v) return true;
    return false;
  }
}
