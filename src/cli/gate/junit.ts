/**
 * The gate's JUnit XML report, in the shape CI systems read (Ant's JUnit
 * report, as Jenkins, GitLab and the GitHub test-report actions parse it):
 * one <testsuites> with one <testsuite>, a <testcase> per check, a <failure>
 * for a check whose outcome differs from the matrix, an <error> for a check
 * that could not run. A case may carry named values as <properties> (as
 * pytest's record_property writes them): the gate puts the violation's trace
 * record there, as JSON, so a CI artifact holds the same record as --json.
 * Pure: the command writes the string.
 */

export interface JunitCase {
  readonly name: string;
  /** Groups cases in CI views: `rrcheck.gate.<spec>` or `rrcheck.gate.corpus`. */
  readonly classname: string;
  readonly seconds: number;
  /** The check's one-line result (expected, got, states), as <system-out>. */
  readonly output: string;
  readonly failure?: { readonly message: string; readonly details: string };
  readonly error?: { readonly message: string };
  /** Named values of the case, in order (`rrcheck.trace`: the trace record as JSON). */
  readonly properties?: readonly { readonly name: string; readonly value: string }[];
}

export interface JunitSuite {
  readonly name: string;
  /** ISO 8601 time the run started, without the zone ("2026-01-31T12:00:00"), as the Ant schema has it. */
  readonly timestamp: string;
  readonly seconds: number;
  readonly cases: readonly JunitCase[];
}

/**
 * Escapes text for XML 1.0 content and attribute values: the five markup
 * characters, and every character XML 1.0 forbids (C0 controls other than
 * tab, newline and carriage return; lone surrogates; U+FFFE, U+FFFF), which
 * become U+FFFD so the report always parses. In attributes, newlines and
 * tabs are written as character references so they survive normalisation.
 */
export function escapeXml(text: string, attribute = false): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else if (attribute && ch === '\n') out += '&#10;';
    else if (attribute && ch === '\r') out += '&#13;';
    else if (attribute && ch === '\t') out += '&#9;';
    else if ((code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff) {
      out += '\uFFFD';
    } else out += ch;
  }
  return out;
}

const attr = (text: string) => escapeXml(text, true);
const secs = (s: number) => s.toFixed(3);

export function junitXml(suite: JunitSuite): string {
  const failures = suite.cases.filter((c) => c.failure !== undefined).length;
  const errors = suite.cases.filter((c) => c.error !== undefined && c.failure === undefined).length;
  const counts = `tests="${suite.cases.length}" failures="${failures}" errors="${errors}"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suite.name)}" ${counts} time="${secs(suite.seconds)}">`,
    `  <testsuite name="${attr(suite.name)}" ${counts} skipped="0" timestamp="${attr(suite.timestamp)}" time="${secs(suite.seconds)}">`,
  ];
  for (const c of suite.cases) {
    lines.push(`    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}" time="${secs(c.seconds)}">`);
    if (c.properties !== undefined && c.properties.length > 0) {
      lines.push('      <properties>');
      for (const p of c.properties) lines.push(`        <property name="${attr(p.name)}" value="${attr(p.value)}"/>`);
      lines.push('      </properties>');
    }
    if (c.failure !== undefined) {
      lines.push(`      <failure message="${attr(c.failure.message)}" type="mismatch">${escapeXml(c.failure.details)}</failure>`);
    } else if (c.error !== undefined) {
      lines.push(`      <error message="${attr(c.error.message)}" type="error">${escapeXml(c.error.message)}</error>`);
    }
    lines.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
