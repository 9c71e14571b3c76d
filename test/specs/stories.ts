/** Hand-built FBL traces shared by several test files. */

/** p, q, r = p0, p1, p2; m = p2→p0, m′ = p0→p1, m″ = p1→p2 (the paper's §2.2 story, for naive with f = 2). */
export const STORY_2_2: readonly string[] = [
  'deliver p2→p0 #1 (inc 0)',
  'deliver p0→p1 #1 (inc 0)',
  'crash p0',
  'restart p0',
  'begin-round p0',
  'depinfo-request p0→p2 (round 1)',
  'depinfo-reply p2→p0 (round 1)',
  'crash p1',
  'restart p1',
  'detect-restart p0 (p1 failed)',
  'incarnation-request p0→p1 (round 2)',
  'incarnation-reply p1→p0 (round 2)',
  'depinfo-request p0→p2 (round 2)',
  'depinfo-reply p2→p0 (round 2)',
  'depinfo p0→p1 (round 2)',
  'deliver p1→p2 #1 (inc 0)',
];

/** FIG1 f = 2, how the traces (b) and (g) of docs/protocol.md begin: p0 fails after m′, r answers round 1, then delivers m″. */
const R_ANSWERS_THEN_DELIVERS_M2: readonly string[] = [
  'deliver p2→p0 #1 (inc 0)',
  'deliver p0→p1 #1 (inc 0)',
  'crash p0',
  'restart p0',
  'begin-round p0',
  'depinfo-request p0→p2 (round 1)',
  'deliver p1→p2 #1 (inc 0)',
];

/** Trace (b) of docs/protocol.md for no-restart on FIG1 f = 2: r delivers m″ between its reply and the leader dropping the failed q. */
export const NO_RESTART_B: readonly string[] = [
  ...R_ANSWERS_THEN_DELIVERS_M2,
  'depinfo-reply p2→p0 (round 1)',
  'crash p1',
  'drop-responder p0 (p1 failed)',
];

/**
 * Trace (g) of docs/protocol.md, FIG1 f = 2: the leader restarts the gathering after q
 * fails, and round 2 takes r's reply of round 1, although r delivered m″ in
 * between (`old-round-replies` violates safety at the last step).
 */
export const OLD_ROUND_G: readonly string[] = [
  ...R_ANSWERS_THEN_DELIVERS_M2,
  'crash p1',
  'restart p1',
  'detect-restart p0 (p1 failed)',
  'incarnation-request p0→p1 (round 2)',
  'incarnation-reply p1→p0 (round 2)',
  'depinfo-reply p2→p0 (round 1)',
];

/** chain n = 3, f = 1 (nonblocking): p0 crashes after forwarding m, recovers by replay, and discards the re-sent copy of m′ as a duplicate. */
export const FULL_RECOVERY: readonly string[] = [
  'deliver p2→p0 #1 (inc 0)',
  'deliver p0→p1 #1 (inc 0)',
  'crash p0',
  'restart p0',
  'begin-round p0',
  'depinfo-request p0→p1 (round 1)',
  'depinfo-request p0→p2 (round 1)',
  'depinfo-reply p1→p0 (round 1)',
  'depinfo-reply p2→p0 (round 1)',
  'deliver p1→p2 #1 (inc 0)',
  'ask-replay p0 (p2 #1)',
  'replay-request p0→p2 #1',
  'replay p2→p0 #1 (inc 0)',
  'discard p0→p1 #1 (inc 1, duplicate)',
];
