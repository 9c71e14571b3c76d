/**
 * Where the CLI writes, and small formatters shared by its commands.
 *
 * Commands never touch process.stdout/stderr directly: they write through an
 * `Io`, so tests can run them in-process; the executable's Io (syncIo.ts)
 * keeps results on stdout (pipeable) and progress and errors on stderr.
 */
import type { ParamRecord } from '../core/params.js';

export interface Io {
  /** Results: the report, the trace, the JSON object. */
  out(text: string): void;
  /** Progress lines, warnings and error messages. */
  err(text: string): void;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return grouped.format(n);
}

/** Milliseconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

/** Per-second rate of `n` events over `ms`, "—" when no time passed. */
export function rate(n: number, ms: number): string {
  return ms <= 0 ? '—' : count((n * 1000) / ms);
}

/** A probability in scientific notation ("2.6e-15"), or "0". */
export function probability(p: number): string {
  return p === 0 ? '0' : p.toExponential(1);
}

/** `n=3 f=1 crashes=1 workload=chain network=unordered` */
export function paramList(params: ParamRecord): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** "1 crash", "2 crashes", "0 processes"… for simple English plurals. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : pluralWord}`;
}

/** Left-aligned columns: every row padded to the widest cell of each column. */
export function columns(rows: readonly (readonly string[])[], gap = '  ', align?: readonly ('l' | 'r')[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const last = i === row.length - 1;
        if (align?.[i] === 'r') return cell.padStart(w + cell.length - [...cell].length);
        return last ? cell : cell.padEnd(w + cell.length - [...cell].length);
      })
      .join(gap)
      .trimEnd(),
  );
}
