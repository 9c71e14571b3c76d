/**
 * Text that may come from a counterexample file (its parameters reach the
 * title) or a user's spec (labels, message names, marks) is escaped for the
 * format it goes into: the SVG stays well-formed XML, a Mermaid statement
 * stays one line, the terminal text carries no control character.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagram } from '../../src/core/diagram.js';
import { ExitCode } from '../../src/index.js';
import { renderMermaid } from '../../src/trace/render/mermaid.js';
import { renderSvg } from '../../src/trace/render/svg.js';
import { renderText } from '../../src/trace/render/text.js';
import { runRrcheck } from '../cli/fixtures/runRrcheck.js';
import { xmlProblems } from './xml.js';

/** Every character XML 1.0 cannot hold, with a lone surrogate and the non-characters U+FFFE, U+FFFF. */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with `xml` as XML 1.0: its characters (which xmlProblems does not look at), then its structure. */
function xmlProblem(xml: string): string | undefined {
  const bad = NOT_XML.exec(xml);
  if (bad !== null) return `a character XML cannot hold: ${JSON.stringify(bad[0])}`;
  return xmlProblems(xml)[0];
}

const NASTY = 'a<b & "c" \'d\' \u001b[31m\u0007\u000b\u0000\r\nNote over p0: injected; #35; <br/> \ud800 \uffff end';

function diagramWith(text: (what: string) => string): Diagram {
  return {
    title: text('title'),
    processes: ['p0', 'p1'],
    labels: [text('label1'), text('label2')],
    events: [
      { time: 1, lane: 0, kind: 'send', message: 1, to: 1, messageClass: 'application', name: text('m'), text: text('send') },
      { time: 2, lane: 1, kind: 'reject', message: 1, reason: text('reason'), text: text('reject') },
      { time: 2, lane: 0, kind: 'mark', text: text('mark') },
      { time: 2, lane: 1, kind: 'crash', text: text('crash') },
    ],
    highlights: [{ lane: 1, kind: 'orphan', text: text('highlight') }],
    property: text('property'),
    explanation: text('explanation'),
  };
}

const plain = diagramWith((what) => what);
const nasty = diagramWith((what) => `${what} ${NASTY}`);

describe('renderers escape their texts', () => {
  it('the SVG of a diagram whose texts hold <, &, quotes, control characters and a lone surrogate is well-formed', () => {
    expect(xmlProblem(renderSvg(plain))).toBeUndefined();
    const svg = renderSvg(nasty);
    expect(xmlProblem(svg)).toBeUndefined();
    expect(svg).toContain("a&lt;b &amp; &quot;c&quot; 'd' \\u001b[31m\\u0007\\u000b\\u0000\\u000d\\u000a");
  });

  it('the check refuses a character XML cannot hold', () => {
    expect(xmlProblem('<svg><text>\u000b</text></svg>')).toMatch(/cannot hold/);
    expect(xmlProblem('<svg><text>\ud800</text></svg>')).toMatch(/cannot hold/);
    expect(xmlProblem('<svg><text>a &amp; \ud83d\ude00</text></svg>')).toBeUndefined();
  });

  it('Mermaid: a newline in a text adds no statement, and nothing but the entities is changed', () => {
    const mermaid = renderMermaid(nasty);
    expect(mermaid.split('\n')).toHaveLength(renderMermaid(plain).split('\n').length);
    expect(mermaid).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u2028\u2029]/);
    expect(mermaid).not.toMatch(/^\s*Note over p0: injected/m);
    expect(mermaid).toContain('\\u000d\\u000aNote over p0: injected#59; #35;35#59; #60;br/#62;');
  });

  it('terminal text carries no ESC byte or other control character, and no extra line', () => {
    const text = renderText(nasty);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.split('\n')).toHaveLength(renderText(plain).split('\n').length);
    expect(text).toContain('title a<b & "c" \'d\' \\u001b[31m');
  });
});

describe('render and replay of a file whose parameters hold control characters', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'rrcheck-escaping-'));
  const original = new URL('../../counterexamples/naive-safety-0c835442.itf.json', import.meta.url).pathname;
  const file = JSON.parse(readFileSync(original, 'utf8')) as { '#meta': { rrcheck: { params: Record<string, unknown> } } };
  // The spec trims a parameter before reading it, so whitespace controls around the value pass its check and reach the title.
  file['#meta'].rrcheck.params['n'] = '\u000b\f\r\n\u20283\r\n\u2028';
  const evil = join(scratch, 'evil.itf.json');
  writeFileSync(evil, JSON.stringify(file));

  it.each(['text', 'svg', 'mermaid'] as const)('render --format %s', (format) => {
    const run = runRrcheck(['render', evil, '--format', format]);
    const reference = runRrcheck(['render', original, '--format', format]);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.out).not.toMatch(/[\u000b\u000c\r\u2028]/);
    expect(run.out.split('\n')).toHaveLength(reference.out.split('\n').length);
    if (format === 'svg') expect(xmlProblem(run.out)).toBeUndefined();
  });

  it('replay prints the parameters with their control characters visible', () => {
    const run = runRrcheck(['replay', evil]);
    expect(run.code).toBe(ExitCode.safetyViolation);
    expect(run.out).toContain('n=\\u000b\\u000c\\u000d');
    expect(run.out).not.toMatch(/[\u000b\u000c\r\u2028]/);
  });
});
