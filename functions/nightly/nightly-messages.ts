import type { PubSub } from '@google-cloud/pubsub';
import { z } from 'zod';
import { locatedErrorsOf } from '../../shared/located-error.js';
import type { BranchMessage, ConsolidateMessage, NightlyStepDeps } from './nightly-steps.js';

/**
 * The nightly run's Pub/Sub messages: JSON bodies, validated on arrival like any input. Cloud
 * Scheduler publishes a start message (business date optional: today in Asia/Shanghai); the
 * start step publishes one branch message per branch; the last branch publishes the
 * consolidation message.
 */

export const NIGHTLY_START_TOPIC = 'nightly-start';

const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' });
export const startMessageSchema = z.strictObject({ businessDate: businessDate.optional(), resume: z.boolean().optional() });
export const branchMessageSchema = z.strictObject({ businessDate, branchId: z.string().min(1).max(100), attempt: z.string().min(1).max(100) });
export const consolidateMessageSchema = z.strictObject({ businessDate });
export type StartMessage = z.infer<typeof startMessageSchema>;

/** The data of a CloudEvent from Pub/Sub (`google.cloud.pubsub.topic.v1.messagePublished`). */
export interface PubSubEventData {
  message?: { data?: string; messageId?: string; attributes?: Record<string, string> };
}

export type Decoded<T> = { ok: true; message: T } | { ok: false; reason: string };

/** A message's JSON body, checked against its schema; why not, in words for the log. */
export function decodeMessage<T>(data: PubSubEventData | undefined, schema: z.ZodType<T>): Decoded<T> {
  const raw = data?.message?.data;
  if (typeof raw !== 'string') return { ok: false, reason: 'the event carries no Pub/Sub message data' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the message data is not base64 of a JSON document' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: locatedErrorsOf(parsed.error).map((e) => `${e.path || '(message)'}: ${e.message}`).join('; ') };
  return { ok: true, message: parsed.data };
}

/** Publishes step messages as JSON through a Pub/Sub client (the real service or the emulator). */
export function pubSubPublisher(pubsub: PubSub): NightlyStepDeps['publish'] {
  return async (topic: string, message: BranchMessage | ConsolidateMessage) => {
    await pubsub.topic(topic).publishMessage({ json: message });
  };
}
