/**
 * README, Architecture: cli/ is the only place with yargs, console output, process exit
 * codes and file I/O; and nothing calls process.exit(), which would cut off
 * output still queued for a pipe (but a second SIGINT or SIGTERM, which asks
 * for exactly that).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, sourceFiles } from '../support/helpers.js';



const files = [...sourceFiles('src'), ...sourceFiles('specs')].map((path) => ({
  path: relative(repositoryRoot, join(repositoryRoot, path)),
  // Comments may mention what the code must not do.
  code: readFileSync(join(repositoryRoot, path), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''),
}));

const cliOnly: [string, RegExp][] = [
  ['yargs', /from ['"]yargs/],
  ['console output', /\bconsole\.\w+\(/],
  ['process streams', /\bprocess\.(stdout|stderr)\b/],
  ['exit codes', /\bprocess\.exitCode\b/],
  ['file I/O', /from ['"](node:)?fs(\/promises)?['"]/],
];

/**
 * The one exception: BFS's queue spills to a temporary file of its own when
 * it outgrows its memory share, in whatever thread runs the search (worker
 * threads included). It is the search's scratch storage, created and deleted
 * by the engine, never a file a user names or reads.
 */
const allowed: Record<string, readonly string[]> = { 'file I/O': ['src/engine/stateQueue.ts'] };

describe('the CLI boundary', () => {
  it('finds the sources it checks', () => {
    expect(files.some((f) => f.path === 'src/cli/main.ts')).toBe(true);
    expect(files.some((f) => f.path.startsWith('specs/'))).toBe(true);
  });

  it.each(cliOnly)('only src/cli/ uses %s', (what, pattern) => {
    const outside = files.filter((f) => !f.path.startsWith('src/cli/') && pattern.test(f.code)).map((f) => f.path);
    expect(outside).toEqual(allowed[what] ?? []);
  });

  it('nothing calls process.exit() but main.ts at a second interruption (where cutting the output off is the point)', () => {
    expect(files.filter((f) => /\bprocess\.exit\(/.test(f.code)).map((f) => f.path)).toEqual(['src/cli/main.ts']);
    const main = files.find((f) => f.path === 'src/cli/main.ts')!.code;
    expect(main.match(/\bprocess\.exit\(/g)).toHaveLength(1);
    expect(main).toContain('if (received++ > 0 || Atomics.load(flag, 1) === 0) process.exit(SIGNAL_EXIT_CODES[signal]);');
  });

  it('trace/ imports nothing of the project but core/', () => {
    for (const f of files.filter((x) => x.path.startsWith('src/trace/'))) {
      for (const m of f.code.matchAll(/from ['"](\.[^'"]+)['"]/g)) {
        // Resolved, so that trace/render/*.ts importing ../../core/ passes too.
        const target = join(dirname(f.path), m[1]!).split(sep).join('/');
        expect(`${f.path}: ${target}`).toMatch(/: src\/(trace|core)\//);
      }
      expect(f.code).not.toMatch(/from ['"]node:/);
    }
  });
});
