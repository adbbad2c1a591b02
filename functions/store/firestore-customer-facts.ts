import type { Firestore } from '@google-cloud/firestore';
import type { CustomerFactsSource } from '../../shared/ports.js';
import { streamCustomerFacts } from './firestore-facts-reader.js';

/** CustomerFactsSource over Firestore: the month accumulators and customer documents. */
export function firestoreCustomerFacts(db: Firestore): CustomerFactsSource {
  return { customers: (branchId) => streamCustomerFacts(db, branchId === undefined ? {} : { branchId }) };
}
