/**
 * Text from outside (a flag's value, a file's contents) shown back to a
 * person: control characters made visible and long values cut, so a message
 * stays one short line and cannot drive the terminal (an ESC byte would).
 */

/** The longest part of one echoed value a message keeps. */
export const ECHO_MAX_CHARS = 200;

/** C0 and C1 control characters, DEL, and the line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with every control character written as `\u001b` (newlines and tabs included): safe on one terminal line. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` with its control characters visible but its line breaks kept: lines for a terminal, none able to send it a command. */
export function terminalText(text: string): string {
  return text.split('\n').map(visibleControls).join('\n');
}

/**
 * `text` cut to `max` UTF-16 units (never inside a surrogate pair), saying
 * how many were left out: `aaaa… (5,242,680 more characters)`.
 */
export function cutText(text: string, max = ECHO_MAX_CHARS): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${(text.length - end).toLocaleString('en-US')} more characters)`;
}

/** A value echoed in a message: its control characters visible, cut to ECHO_MAX_CHARS. */
export function echo(value: unknown): string {
  return visibleControls(cutText(String(value)));
}

/**
 * A whole message made one safe line: control characters visible (runs of
 * whitespace become one space first), every run of non-space characters
 * longer than ECHO_MAX_CHARS cut, and the whole cut to `max` characters — a
 * net under the messages that echo a value without echo().
 */
export function safeLine(message: string, max = 4 * ECHO_MAX_CHARS): string {
  const oneLine = message.replace(/[\t\n\v\f\r \u2028\u2029]+/g, ' ').trim();
  const tokensCut = oneLine.replace(new RegExp(`\\S{${ECHO_MAX_CHARS + 1},}`, 'gu'), (token) => cutText(token));
  return visibleControls(cutText(tokensCut, max));
}
