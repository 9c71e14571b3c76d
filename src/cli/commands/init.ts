/**
 * `rrcheck init [FILE]`: writes a starter spec module, plain JavaScript (an
 * ES module importing from 'rrcheck'), that `rrcheck check FILE` runs as it
 * is. Its model has a bug on purpose (a lost update of a shared counter), so
 * the first check shows a violation, and a parameter that fixes it. An
 * existing file is never overwritten (exit code usage).
 */
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import { nodeFiles, type FileAccess } from '../counterexamples.js';
import type { Io } from '../output.js';

export const DEFAULT_INIT_FILE = 'my-spec.mjs';

export interface InitArgs {
  readonly file: string;
}

/** The starter module's text. */
export const STARTER_SPEC = `// A starter rrcheck spec: workers that each add 1 to a shared counter.
//
//   rrcheck check FILE                 finds a lost update (exit code 12)
//   rrcheck check FILE --atomic yes    every property holds (exit code 0)
//   rrcheck list FILE                  shows the parameters below as flags
//
// The contract (README, "Writing your own spec"): the default export is a
// spec definition {id, title, summary, params, build}; build(params) returns
// {model, properties, view}. A model is a deterministic transition system over
// plain-data states that are never mutated once returned: init() lists the
// initial states, actions(s) the enabled actions (each with a distinct
// label(a)), next(s, a) the state after one. Replace the model with yours.
import { StructuralHasher } from 'rrcheck';

export default {
  id: 'counter',
  title: 'workers incrementing a shared counter',
  summary: 'each worker reads the counter, then writes back what it read plus one',
  // Each parameter becomes a flag of check, simulate and list: --n 3.
  params: [
    { name: 'n', type: 'integer', description: 'number of workers', defaultValue: 2, min: 1, max: 6 },
    { name: 'atomic', type: 'choice', choices: ['no', 'yes'], description: 'yes: read and write in one step', defaultValue: 'no' },
  ],
  build({ n, atomic }) {
    const ids = Array.from({ length: n }, (_, i) => i);
    const hasher = new StructuralHasher();
    const model = {
      // pc[i]: where worker i is: 'start', 'read' (it holds read[i]) or 'done'.
      init: () => [{ counter: 0, pc: ids.map(() => 'start'), read: ids.map(() => 0) }],
      actions: (s) =>
        ids.flatMap((i) => {
          if (s.pc[i] === 'start') return [{ step: atomic === 'yes' ? 'increment' : 'read', worker: i }];
          if (s.pc[i] === 'read') return [{ step: 'write', worker: i }];
          return [];
        }),
      next(s, { step, worker }) {
        const set = (list, value) => list.map((v, i) => (i === worker ? value : v));
        if (step === 'read') return { ...s, pc: set(s.pc, 'read'), read: set(s.read, s.counter) };
        if (step === 'write') return { ...s, pc: set(s.pc, 'done'), counter: s.read[worker] + 1 };
        return { ...s, pc: set(s.pc, 'done'), counter: s.counter + 1 }; // increment
      },
      label: ({ step, worker }) => \`\${step} w\${worker}\`,
      // Optional: each step as data (who takes it; a receipt names its sender and
      // receiver). rrcheck render FILE.itf.json draws one lane per process from it.
      describe: (s, { step, worker }) => ({ actor: \`w\${worker}\`, fault: false, kind: step }),
      // Equal states must give equal fingerprints; StructuralHasher hashes plain data.
      fingerprint: (s, out) => hasher.fingerprint(s, out),
    };
    const allDone = (s) => s.pc.every((p) => p === 'done');
    const properties = [
      {
        name: 'noLostUpdate',
        kind: 'always', // checked in every reachable state; exit code 12 when violated
        category: 'safety',
        description: 'once every worker is done, the counter equals the number of workers',
        holds: (s) => !allDone(s) || s.counter === n,
        explain: (s) => \`counter = \${s.counter} after \${n} increments\`,
      },
      {
        name: 'terminates',
        kind: 'terminal', // checked in states without successors, and on cycles; exit code 13
        category: 'liveness',
        description: 'every run ends with every worker done',
        holds: allDone,
      },
    ];
    // view(s): what traces and counterexample files show of a state (plain JSON).
    return { model, properties, view: (s) => s };
  },
};
`;

export function runInit(args: InitArgs, deps: { readonly io: Io; readonly files?: FileAccess }): ExitCodeValue {
  if (!/\.m?js$/.test(args.file)) {
    throw new UserError(`rrcheck init writes an ES module: name it *.mjs (or *.js in a package of "type": "module"), not ${args.file}`, ExitCode.usage);
  }
  const files = deps.files ?? nodeFiles;
  let created: boolean;
  try {
    created = files.createText(args.file, STARTER_SPEC.replaceAll('FILE', args.file));
  } catch (error) {
    throw new UserError(`cannot write ${args.file}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.usage);
  }
  if (!created) throw new UserError(`${args.file} exists; rrcheck init never overwrites a file (name another: rrcheck init FILE)`, ExitCode.usage);
  deps.io.out(
    `wrote ${args.file}: a starter spec (workers incrementing a shared counter, with a lost update on purpose)\n` +
      `  rrcheck check ${args.file}                 finds the lost update (exit code 12)\n` +
      `  rrcheck check ${args.file} --atomic yes    every property holds (exit code 0)\n`,
  );
  return ExitCode.ok;
}
