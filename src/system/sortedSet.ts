/**
 * Sets of non-negative numbers as sorted, duplicate-free arrays: canonical (so
 * equal sets hash equally), compact, and cheap to hash. Used for the ghost
 * causal past and for determinant logs. Functions never mutate their inputs.
 */

/** Whether `x` is a member (binary search). */
export function has(set: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = set[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The set with `x` added (`set` itself when `x` is already a member). */
export function insert(set: readonly number[], x: number): readonly number[] {
  let i = 0;
  while (i < set.length && set[i]! < x) i++;
  if (set[i] === x) return set;
  const out = set.slice(0, i);
  out.push(x);
  for (; i < set.length; i++) out.push(set[i]!);
  return out;
}

/** The union of two sets (one of them itself when it already holds every member). */
export function union(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out.length === a.length ? a : out;
}

/** Bit count of a 32-bit mask (host sets, process sets). */
export function popcount(mask: number): number {
  let m = mask - ((mask >>> 1) & 0x55555555);
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (((m + (m >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Element-wise maximum of two vectors of equal length (incarnation vectors). */
export function vectorMax(a: readonly number[], b: readonly number[]): readonly number[] {
  let out: number[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const y = b[i] ?? 0;
    if (y > a[i]!) {
      out ??= a.slice();
      out[i] = y;
    }
  }
  return out ?? a;
}
