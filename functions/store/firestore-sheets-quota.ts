import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { PacingClock, QuotaBudget } from '../sheets/request-pacer.js';
import { REAL_PACING_CLOCK } from '../sheets/request-pacer.js';
import { COLLECTIONS } from './collections.js';

/**
 * The Sheets quota budget every instance of a deployment draws from: one counter document per
 * (account or project, read|write, pacing window), `sheetsQuota/{key}_{kind}_{window}` =
 * `{count, expiresAt}`. A slot is taken in a transaction that reads the counters of every key
 * and increments them only when none is full, so two instances can never take the same last
 * slot: the limit holds by construction, however many instances run. Documents are small and
 * short-lived; `expiresAt` (a day after the window) is for a Firestore TTL policy to delete them.
 * `clock` dates `expiresAt` and paces the retries after contention (the process's own by default).
 */
export function firestoreQuotaBudget(db: Firestore, clock: PacingClock = REAL_PACING_CLOCK): QuotaBudget {
  const random = clock.random ?? Math.random;
  const collection = db.collection(COLLECTIONS.sheetsQuota);
  return {
    async take(keys, kind, window, limits) {
      const refs = keys.map((key) => collection.doc(`${encodeURIComponent(key)}_${kind}_${window}`));
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.runTransaction(async (tx) => {
            const docs = await tx.getAll(...refs);
            const counts = docs.map((d) => (d.exists ? Number(d.get('count') ?? 0) : 0));
            if (counts.some((count, i) => count >= (limits[i] as number))) return false;
            const expiresAt = Timestamp.fromMillis(clock.now() + 86_400_000);
            refs.forEach((ref, i) => tx.set(ref, { count: (counts[i] as number) + 1, expiresAt }));
            return true;
          });
        } catch (error) {
          // Many instances on one counter may exhaust the transaction's own retries (ABORTED):
          // try again a few times, after a short jittered pause, before failing the request.
          if (attempt >= 5 || !isContention(error)) throw error;
          await clock.sleep(Math.floor(random() * 50 * attempt));
        }
      }
    },
  };
}

function isContention(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 10 || code === 'ABORTED';
}
