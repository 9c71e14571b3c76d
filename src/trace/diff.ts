/**
 * A generic diff of two JSON-able values (two `view()`s of consecutive states):
 * the paths that changed, with old and new values.
 *
 * Records are compared key by key. Arrays are aligned on their longest common
 * subsequence of equal items, so an item delivered out of the middle of the
 * network shows as one removal, not as every later item shifting by one; a gap
 * with as many items on each side is compared position by position, so a
 * change inside one process's record shows at its own path.
 */

export type Change =
  | { readonly kind: 'changed'; readonly path: string; readonly before: unknown; readonly after: unknown }
  /** An item added to an array at `path`, or, with `field`, a field added to the record at `path`. */
  | { readonly kind: 'added'; readonly path: string; readonly field?: string; readonly after: unknown }
  | { readonly kind: 'removed'; readonly path: string; readonly field?: string; readonly before: unknown };

/** Arrays longer than this are compared position by position (the alignment is quadratic). */
const MAX_ALIGN = 400;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isRecord(a)) {
    if (!isRecord(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

function join(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The changes that turn `before` into `after`, in a stable order (before's keys first). */
export function diffValues(before: unknown, after: unknown, path = ''): Change[] {
  const out: Change[] = [];
  diffInto(before, after, path, out);
  return out;
}

function diffInto(before: unknown, after: unknown, path: string, out: Change[]): void {
  if (deepEqual(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(before)) {
      if (after[key] === undefined) {
        if (before[key] !== undefined) out.push({ kind: 'removed', path, field: key, before: before[key] });
      } else if (before[key] === undefined) {
        out.push({ kind: 'added', path, field: key, after: after[key] });
      } else {
        diffInto(before[key], after[key], join(path, key), out);
      }
    }
    for (const key of Object.keys(after)) {
      if (!(key in before) && after[key] !== undefined) out.push({ kind: 'added', path, field: key, after: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(before, after, path, out);
    return;
  }
  out.push({ kind: 'changed', path, before, after });
}

function diffArrays(before: readonly unknown[], after: readonly unknown[], path: string, out: Change[]): void {
  if (before.length > MAX_ALIGN || after.length > MAX_ALIGN) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) diffInto(before[i], after[i], `${path}[${i}]`, out);
    for (let i = common; i < before.length; i++) out.push({ kind: 'removed', path, before: before[i] });
    for (let i = common; i < after.length; i++) out.push({ kind: 'added', path, after: after[i] });
    return;
  }
  const matches = align(before, after);
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...matches, [before.length, after.length] as const]) {
    // The gap before[i..mi) / after[j..mj) holds no common item. Records
    // facing each other are compared field by field (a process that changed);
    // anything else is a removal and an addition (a message delivered, another sent).
    if (mi - i === mj - j && pairable(before, after, i, j, mi - i)) {
      for (let k = 0; k < mi - i; k++) diffInto(before[i + k], after[j + k], `${path}[${j + k}]`, out);
    } else {
      for (let k = i; k < mi; k++) out.push({ kind: 'removed', path, before: before[k] });
      for (let k = j; k < mj; k++) out.push({ kind: 'added', path, after: after[k] });
    }
    i = mi + 1;
    j = mj + 1;
  }
}

function pairable(before: readonly unknown[], after: readonly unknown[], i: number, j: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    const a = before[i + k];
    const b = after[j + k];
    if (!((isRecord(a) && isRecord(b)) || (Array.isArray(a) && Array.isArray(b)))) return false;
  }
  return true;
}

/** Index pairs of a longest common subsequence of deep-equal items, in order. */
function align(a: readonly unknown[], b: readonly unknown[]): (readonly [number, number])[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..], b[j..]
  const lcs: Uint16Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i]!;
    const below = lcs[i + 1]!;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = deepEqual(a[i], b[j]) ? below[j + 1]! + 1 : Math.max(below[j]!, row[j + 1]!);
    }
  }
  const pairs: (readonly [number, number])[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (deepEqual(a[i], b[j])) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}

/**
 * A compact one-line rendering of a JSON-able value: strings quoted, record
 * keys bare, cut to `maxLength` characters with an ellipsis.
 */
export function formatValue(value: unknown, maxLength = 100): string {
  const text = render(value);
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${render(v)}`).join(', ')}}`;
}

/** Where a change applies: the record field it adds or removes, else its path. */
export function changePath(change: Change): string {
  return change.kind !== 'changed' && change.field !== undefined ? join(change.path, change.field) : change.path;
}

/** One line per change: `path: old → new`, `path: + item`, `path: − item`. */
export function formatChange(change: Change, maxValueLength = 100): string {
  const path = changePath(change) === '' ? '(state)' : changePath(change);
  switch (change.kind) {
    case 'changed':
      return `${path}: ${formatValue(change.before, maxValueLength)} → ${formatValue(change.after, maxValueLength)}`;
    case 'added':
      return `${path}: + ${formatValue(change.after, maxValueLength)}`;
    case 'removed':
      return `${path}: − ${formatValue(change.before, maxValueLength)}`;
  }
}

/**
 * Lines for a list of changes, with fields added to or removed from one
 * record in a run of three or more shown on one line (a crash erasing a
 * process's volatile state is one line, not ten).
 */
export function formatChanges(changes: readonly Change[], maxValueLength = 100): string[] {
  const lines: string[] = [];
  for (let i = 0; i < changes.length; ) {
    const c = changes[i]!;
    let end = i + 1;
    if (c.kind !== 'changed' && c.field !== undefined) {
      while (end < changes.length) {
        const d = changes[end]!;
        if (d.kind !== c.kind || d.field === undefined || d.path !== c.path) break;
        end++;
      }
    }
    if (end - i >= 3) {
      const run = changes.slice(i, end);
      const where = c.path === '' ? '(state)' : c.path;
      if (c.kind === 'removed') {
        lines.push(`${where}: − ${run.map((d) => (d.kind === 'changed' ? '' : d.field)).join(', ')}`);
      } else {
        const fields = run.map((d) => (d.kind === 'added' ? `${d.field}: ${formatValue(d.after, 40)}` : ''));
        lines.push(`${where}: + ${truncate(fields.join(', '), 2 * maxValueLength)}`);
      }
      i = end;
    } else {
      lines.push(formatChange(c, maxValueLength));
      i++;
    }
  }
  return lines;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
