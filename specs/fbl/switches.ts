/**
 * Every field of `Variant` as a spec parameter (`--incarnation-filter off`,
 * `--replication f`…), so that a designer can check a combination no preset
 * ships. Each preset (specs/index.ts) is a setting of all of them: its
 * parameters default to its own values, and a record (a counterexample file,
 * the report's parameter line) names only the switches that depart from it.
 */
import { ExitCode, UserError, type ParamSchema, type ParamValue } from '../../src/index.js';
import type { Variant } from './variant.js';

/** The fields of a Variant that are switches (all but its id). */
export type SwitchField = Exclude<keyof Variant, 'id'>;

export interface VariantSwitch {
  readonly field: SwitchField;
  /** The parameter's name, kebab-case. */
  readonly name: string;
  /** The values typed on the command line, the correct algorithm's first. */
  readonly values: readonly [string, string];
  /** The field's value for each of `values`. */
  readonly fieldValues: readonly [Variant[SwitchField], Variant[SwitchField]];
  /** What it changes: the `values[1]` setting in words. */
  readonly description: string;
}

const onOff = (field: SwitchField, name: string, description: string): VariantSwitch => ({ field, name, values: ['on', 'off'], fieldValues: [true, false], description });

/** In the order `rrcheck list` shows them. */
export const VARIANT_SWITCHES: readonly VariantSwitch[] = [
  onOff('incarnationFilter', 'incarnation-filter', 'FF-2/FF-3: a live process rejects messages of dead incarnations (off: it accepts any; preset naive)'),
  { field: 'replication', name: 'replication', values: ['f+1', 'f'], fieldValues: ['f+1', 'f'], description: 'piggybacking stops once a determinant is known at f + 1 hosts (f: at f hosts; preset f-hosts)' },
  onOff('restartOnFailure', 'restart-on-failure', 'RC-9: a responder that fails before replying restarts the gathering (off: the leader drops it; preset no-restart)'),
  onOff('orderedReplay', 'ordered-replay', 'RC-12/RC-14: replay follows the recorded order (off: logged messages are delivered as they arrive; preset unordered-replay)'),
  onOff('waitForHandout', 'wait-for-handout', "RC-11: a restarted process replays only after the leader's hand-out (off: at once, from the logs it can fetch; preset early-replay)"),
  onOff('atomicAdoption', 'atomic-adoption', 'RC-7: a responder adopts the incvector in the step that replies (off: in a later adopt step; preset split-adoption)'),
  onOff('replyRoundCheck', 'reply-round-check', "RC-8: the leader takes only replies of its current round (off: older rounds' too; preset old-round-replies)"),
  onOff('replayingResponders', 'replaying-responders', 'RC-6: replaying processes answer depinfo requests too (off: live ones only; preset live-only-responders)'),
  onOff('enrollment', 'enrollment', 'RC-4: a waiting process that answers an incarnation request is enrolled in that round (off: preset no-enrollment)'),
  onOff('incarnationsInReplies', 'incarnations-in-replies', "RC-7/RC-8: replies carry the responder's incarnations, which the leader merges (off: preset no-enrollment)"),
  onOff('resendRequests', 'resend-requests', 'RC-15: a recovered process asks every other to re-send what it logged for it (off: preset no-resend)'),
  {
    field: 'replayStaleTest',
    name: 'replay-stale-test',
    values: ['older', 'not-newer'],
    fieldValues: ['older', 'not-newer'],
    description: 'RC-14: a replaying process rejects a copy whose incarnation is older than it knows (not-newer: ≤, also the current one; preset strict-replay-filter)',
  },
  onOff('blocking', 'blocking', 'BL-1…BL-4: on, a live responder blocks from its reply until every process is live (preset blocking)'),
  onOff('manethoStyle', 'manetho-style', 'MS-0…MS-6: on, the Manetho-style recovery: replies written to stable storage, contradicting messages held until an announcement (preset manetho)'),
  onOff('holdsByIncarnation', 'holds-by-incarnation', 'MS-2/MS-4, with manetho-style on: holds are keyed by process and incarnation (off: by process only; preset manetho-process-holds)'),
];

/** The value typed for a field's setting. */
function valueOf(s: VariantSwitch, variant: Variant): string {
  return s.values[s.fieldValues.indexOf(variant[s.field])]!;
}

/** The switches as parameters, each defaulting to the preset's own value and recorded only when it departs from it. */
export function switchParams(preset: Variant): ParamSchema[] {
  return VARIANT_SWITCHES.map((s) => ({
    name: s.name,
    type: 'choice',
    description: s.description,
    defaultValue: valueOf(s, preset),
    choices: s.values,
    recordDefault: false,
  }));
}

/**
 * The preset with the switches the parameters set (a missing one keeps the
 * preset's value), and refused combinations: those where a switch could
 * change nothing, which would make two names for one model.
 */
export function variantOf(preset: Variant, params: Readonly<Record<string, ParamValue>>): Variant {
  const variant: Record<string, unknown> = { ...preset };
  for (const s of VARIANT_SWITCHES) {
    const given = params[s.name];
    if (given === undefined) continue;
    const at = s.values.indexOf(String(given));
    if (at < 0) throw new UserError(`bad parameter ${s.name}=${String(given)}: must be one of ${s.values.join(', ')}`, ExitCode.badSpec);
    variant[s.field] = s.fieldValues[at];
  }
  const v = variant as unknown as Variant;
  const refuse = (why: string) => {
    throw new UserError(`bad parameter combination: ${why}`, ExitCode.badSpec);
  };
  if (!v.manethoStyle && !v.holdsByIncarnation) refuse('holds-by-incarnation=off needs manetho-style=on (only the Manetho-style recovery holds messages)');
  if (v.manethoStyle && v.blocking) refuse('blocking=on with manetho-style=on: a Manetho-style responder writes its reply to stable storage and never blocks');
  if (v.manethoStyle && !v.atomicAdoption) refuse('atomic-adoption=off with manetho-style=on: a Manetho-style responder adopts no incvector when it replies');
  return v;
}
