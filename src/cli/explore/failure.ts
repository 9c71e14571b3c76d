/**
 * How `rrcheck explore` answers a request that failed (session.ts's routes,
 * and a search on its worker thread): a malformed request is a 400; a
 * UserError (the model breaks its contract: two actions with one label…) a
 * 422; anything else (the spec threw) a 500 — each with one line.
 */
import { isUserError } from '../../core/exitCodes.js';

/** A request the server cannot take (a 400 with its message). */
export class BadRequest extends Error {}

/** The status code and the one line a failure is answered with. */
export function failureOf(error: unknown): { readonly code: 400 | 422 | 500; readonly error: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BadRequest) return { code: 400, error: message };
  if (isUserError(error)) return { code: 422, error: message };
  return { code: 500, error: `the spec threw: ${message.split('\n')[0]}` };
}
