import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import type { BranchOutcome, PoolProgress } from './branch-pool.js';
import { branchMessageSchema, consolidateMessageSchema, decodeMessage, pubSubPublisher } from './nightly-messages.js';
import type { LocalNightlyReport } from './run-nightly-locally.js';
import { branchStep, consolidateStep, NIGHTLY_TOPICS, startNightlyStep, type NightlyStepDeps } from './nightly-steps.js';

/**
 * A business date's nightly run through Pub/Sub from one process (`ladder nightly --pubsub`):
 * the same messages and the same steps as the cloud functions, with this process pulling
 * them — at most `concurrency` branch messages in hand at once — instead of Pub/Sub pushing
 * to function instances. A message is acknowledged only after its step finished; a step that
 * throws leaves it unacknowledged, so Pub/Sub delivers it again.
 */

export async function runNightlyOverPubSub(
  deps: Omit<NightlyStepDeps, 'publish'>,
  pubsub: PubSub,
  businessDate: string,
  options: { resume: boolean; concurrency: number; clock: () => number; onProgress?: (p: PoolProgress) => void },
): Promise<LocalNightlyReport> {
  const steps: NightlyStepDeps = { ...deps, publish: pubSubPublisher(pubsub) };
  const branchSub = await subscription(pubsub, NIGHTLY_TOPICS.branch, options.concurrency);
  const consolidateSub = await subscription(pubsub, NIGHTLY_TOPICS.consolidate, 1);
  const outcomes: BranchOutcome[] = [];
  const running = new Set<string>();
  const started = options.clock();
  let total = 0;
  const progress = (last: BranchOutcome | null) => {
    const finished = outcomes.length;
    const elapsed = options.clock() - started;
    options.onProgress?.({ total, finished, failed: outcomes.filter((o) => o.status === 'failed').length, running: [...running], etaMs: finished === 0 ? null : Math.round((elapsed / finished) * Math.max(0, total - finished)), last });
  };
  try {
    const consolidated = new Promise<LocalNightlyReport['consolidation']>((resolve) => {
      consolidateSub.on('message', (m: Message) => {
        const decoded = decodeMessage({ message: { data: m.data.toString('base64') } }, consolidateMessageSchema);
        if (!decoded.ok || decoded.message.businessDate !== businessDate) return m.ack();
        consolidateStep(steps, decoded.message).then(
          (result) => {
            m.ack();
            resolve(result);
          },
          (error: Error) => {
            m.ack(); // recorded as failed on the date; a re-run consolidates again
            resolve({ error: error.message });
          },
        );
      });
    });
    branchSub.on('message', (m: Message) => {
      const decoded = decodeMessage({ message: { data: m.data.toString('base64') } }, branchMessageSchema);
      if (!decoded.ok || decoded.message.businessDate !== businessDate) return m.ack();
      const { branchId } = decoded.message;
      running.add(branchId);
      progress(null);
      branchStep(steps, decoded.message, { consolidateWhenLast: true }).then(
        (record) => {
          running.delete(branchId);
          const outcome: BranchOutcome = record.status === 'done' ? { branchId, status: 'done', durationMs: record.durationMs } : { branchId, status: 'failed', durationMs: record.durationMs, error: record.error };
          outcomes.push(outcome);
          m.ack();
          progress(outcome);
        },
        () => {
          running.delete(branchId);
          m.nack(); // the store or Google failed beyond the branch's own record: deliver again
        },
      );
    });
    const plan = await startNightlyStep(steps, businessDate, {
      resume: options.resume,
      onPlan: (p) => {
        total = p.toRun.length;
      },
    });
    progress(null);
    const consolidation = await consolidated;
    return { plan, outcomes, consolidation };
  } finally {
    await Promise.all([branchSub.close(), consolidateSub.close()]);
  }
}

/** The topic and a pull subscription on it, created when missing. */
async function subscription(pubsub: PubSub, topicName: string, maxMessages: number): Promise<Subscription> {
  const topic = pubsub.topic(topicName);
  const [exists] = await topic.exists();
  if (!exists) await topic.create();
  const name = `${topicName}-ladder`;
  const sub = topic.subscription(name, { flowControl: { maxMessages, allowExcessMessages: false } });
  const [subExists] = await sub.exists();
  if (!subExists) await topic.createSubscription(name, { ackDeadlineSeconds: 600 });
  return sub;
}
