/**
 * specs/ is written as a user writes a spec: with the public API only. Every
 * module a file under specs/ imports (or re-exports from) is another file
 * under specs/ or src/index.ts, never a layer's internals nor a package
 * (immer, fast-check …) that the public API does not hand out.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot, sourceFiles } from '../support/helpers.js';



/** The module specifiers a source imports, re-exports from, or imports dynamically (comments stripped). */
function specifiers(code: string): string[] {
  const bare = code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of bare.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  return found;
}

/** Where a specifier of `file` (a path relative to the repository) leads: a repository path, or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(repositoryRoot, join(repositoryRoot, dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts');
}

describe('specs/ uses the public API only', () => {
  const files = sourceFiles('specs');

  it('finds the spec sources, the rule units among them', () => {
    expect(files).toContain(join('specs', 'fbl', 'protocol.ts'));
    expect(files).toContain(join('specs', 'fbl', 'rules', 'gathering.ts'));
  });

  it('reads every form of import', () => {
    const code = "import { a } from '../x.js';\nexport * from './y.js';\nimport type { B } from 'immer';\nconst m = await import('../../src/engine/index.js');\n// from '../../src/no.js'";
    expect(specifiers(code)).toEqual(['../x.js', './y.js', 'immer', '../../src/engine/index.js']);
  });

  it('every file under specs/ imports only specs/ and src/index.ts', () => {
    const outside: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(join(repositoryRoot, file), 'utf8'))) {
        const to = target(file, spec);
        if (to !== 'src/index.ts' && !to.startsWith('specs/')) outside.push(`${file} imports ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
