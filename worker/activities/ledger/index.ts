/** The ledger activities (filled in by the ledger issue). */
import type { WorkerConfig } from '../../config/worker-config.js';

export function createLedgerActivities(_config: WorkerConfig) {
  return {};
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
