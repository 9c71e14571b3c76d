/**
 * The JUnit XML report: exact output for a small suite (counts, failure,
 * error, system-out), and escaping that keeps any text well-formed.
 */
import { describe, expect, it } from 'vitest';
import { escapeXml, junitXml } from '../../src/cli/gate/junit.js';
import { xmlProblems } from '../trace/xml.js';

describe('junitXml', () => {
  it('writes one suite with a case per check; failures and errors are counted apart', () => {
    const xml = junitXml({
      name: 'rrcheck gate',
      timestamp: '2026-01-31T12:00:00',
      seconds: 12.5,
      cases: [
        { name: 'nonblocking n=3', classname: 'rrcheck.gate.nonblocking', seconds: 0.0461, output: 'expected holds; got holds' },
        {
          name: 'naive n=3',
          classname: 'rrcheck.gate.naive',
          seconds: 1,
          output: 'expected holds; got violates safety (9 steps)',
          failure: { message: 'expected holds, got violates safety (9 steps)', details: 'violates safety: orphan p1 <- p0\ncounterexample: saved x.itf.json' },
        },
        { name: 'blocking n=4', classname: 'rrcheck.gate.blocking', seconds: 0, output: 'expected holds; got error', error: { message: 'worker died: out of memory' } },
      ],
    });
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="rrcheck gate" tests="3" failures="1" errors="1" time="12.500">',
        '  <testsuite name="rrcheck gate" tests="3" failures="1" errors="1" skipped="0" timestamp="2026-01-31T12:00:00" time="12.500">',
        '    <testcase name="nonblocking n=3" classname="rrcheck.gate.nonblocking" time="0.046">',
        '      <system-out>expected holds; got holds</system-out>',
        '    </testcase>',
        '    <testcase name="naive n=3" classname="rrcheck.gate.naive" time="1.000">',
        '      <failure message="expected holds, got violates safety (9 steps)" type="mismatch">violates safety: orphan p1 &lt;- p0\ncounterexample: saved x.itf.json</failure>',
        '      <system-out>expected holds; got violates safety (9 steps)</system-out>',
        '    </testcase>',
        '    <testcase name="blocking n=4" classname="rrcheck.gate.blocking" time="0.000">',
        '      <error message="worker died: out of memory" type="error">worker died: out of memory</error>',
        '      <system-out>expected holds; got error</system-out>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('a case with properties writes them first, each value escaped as an attribute (the gate puts the trace record there as JSON)', () => {
    const trace = JSON.stringify({ property: 'bounded', labels: ['deliver ball→p0', 'a "quoted" <label> & more'] });
    const xml = junitXml({
      name: 'rrcheck gate',
      timestamp: '2026-01-31T12:00:00',
      seconds: 1,
      cases: [
        {
          name: 'bug',
          classname: 'rrcheck.gate.ping',
          seconds: 0.5,
          output: 'expected holds; got violates bounded (1 step)',
          properties: [
            { name: 'rrcheck.trace', value: trace },
            { name: 'rrcheck.counterexample', value: 'cx/ping-bounded-0.itf.json' },
          ],
          failure: { message: 'expected holds, got violates bounded (1 step)', details: 'counterexample: saved cx/ping-bounded-0.itf.json' },
        },
      ],
    });
    expect(xml.split('\n').slice(3, 11)).toEqual([
      '    <testcase name="bug" classname="rrcheck.gate.ping" time="0.500">',
      '      <properties>',
      '        <property name="rrcheck.trace" value="{&quot;property&quot;:&quot;bounded&quot;,&quot;labels&quot;:[&quot;deliver ball→p0&quot;,&quot;a \\&quot;quoted\\&quot; &lt;label&gt; &amp; more&quot;]}"/>',
      '        <property name="rrcheck.counterexample" value="cx/ping-bounded-0.itf.json"/>',
      '      </properties>',
      '      <failure message="expected holds, got violates bounded (1 step)" type="mismatch">counterexample: saved cx/ping-bounded-0.itf.json</failure>',
      '      <system-out>expected holds; got violates bounded (1 step)</system-out>',
      '    </testcase>',
    ]);
    expect(xmlProblems(xml)).toEqual([]);
  });

  it('escapes markup, quotes and characters XML 1.0 forbids; keeps newlines in text and encodes them in attributes', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(escapeXml('line\nnext\ttab')).toBe('line\nnext\ttab');
    expect(escapeXml('line\nnext\ttab\r', true)).toBe('line&#10;next&#9;tab&#13;');
    expect(escapeXml('bell\u0007 nul\u0000 esc\u001b')).toBe('bell\uFFFD nul\uFFFD esc\uFFFD');
    expect(escapeXml('lone \uD800 surrogate, \uFFFF')).toBe('lone \uFFFD surrogate, \uFFFD');
    // Characters outside the BMP are kept whole.
    expect(escapeXml('p0→p1 ✓ 𝔽')).toBe('p0→p1 ✓ 𝔽');
  });
});
