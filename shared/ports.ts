import type { CustomerFacts } from './customer-facts.js';

/**
 * Ports the domain is fed through, named by role. Adapters live in functions/: Firestore
 * (functions/store/firestore-customer-facts.ts) and a facts file (functions/cli/
 * jsonl-customer-facts.ts); test/integration/customer-facts-contract.test.ts runs the same
 * contract against each.
 */
export interface CustomerFactsSource {
  /** every customer (of one branch when given), each once, ordered by customer id, months sorted */
  customers(branchId?: string): AsyncIterable<CustomerFacts>;
}
