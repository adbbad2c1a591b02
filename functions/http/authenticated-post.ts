import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import { locatedErrorsOf } from '../../shared/located-error.js';
import { authenticateCaller, type CallerAuth } from './caller-auth.js';

/**
 * The front door shared by the functions that change data (sheetEdit, nightlyBranch): POST
 * only, the caller authenticated before the body is looked at (so an unknown caller learns
 * nothing about it), then the body checked against its schema. Answers the refusal itself and
 * returns null, or returns the parsed body.
 */

export interface JsonRequestLike {
  method: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: Buffer;
}

export interface JsonResponseLike {
  status(code: number): unknown;
  json(body: unknown): unknown;
}

export function replyWith(res: JsonResponseLike): (status: number, body: unknown) => void {
  return (status, body) => {
    res.status(status);
    res.json(body);
  };
}

export async function acceptAuthenticatedPost<T>(
  req: JsonRequestLike,
  res: JsonResponseLike,
  gate: { auth: CallerAuth; now: () => Date; schema: z.ZodType<T>; usage: string; what: string },
): Promise<T | null> {
  const reply = replyWith(res);
  if (req.method !== 'POST') {
    reply(405, { code: 'METHOD_NOT_ALLOWED', message: gate.usage });
    return null;
  }
  const raw = req.rawBody ?? Buffer.from(JSON.stringify(req.body ?? null));
  const caller = await authenticateCaller(gate.auth, req.headers, raw, Math.floor(gate.now().getTime() / 1000));
  if (!caller.ok) {
    reply(401, { code: 'UNAUTHENTICATED', message: caller.reason });
    return null;
  }
  const parsed = gate.schema.safeParse(req.body);
  if (!parsed.success) {
    reply(400, { code: 'INVALID_REQUEST', message: `the body is not ${gate.what}`, errors: locatedErrorsOf(parsed.error) });
    return null;
  }
  return parsed.data;
}
