/**
 * get_tx_status as a workflow: one activity reads the tx workflow's record and the chain. Kept a
 * workflow so that, like every tool, the read has an id and a history to audit.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { EvmTxLookupRequest, EvmTxLookupResult } from '../../../../schemas/temporal/transactions.js';
import type { TransactionActivities } from '../../../activities/execution/transactions/index.js';

const { lookupEvmTx } = proxyActivities<TransactionActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function evmTxLookupWorkflow(req: EvmTxLookupRequest): Promise<EvmTxLookupResult> {
  return lookupEvmTx(req);
}
