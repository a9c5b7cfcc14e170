import { getRiskLimits } from '../../../schemas/risk.js';
import { readRiskState } from '../../../temporal/clients/risk.js';
import { defineTool } from '../../kit/define-tool.js';
import { accountOf } from './account-of.js';

/** How long a read waits for a just-started risk workflow to load its limits. */
const LOAD_WAIT_MS = 10_000;

export const getRiskLimitsTool = defineTool(getRiskLimits, async (input, { temporal, signal }) => {
  const view = await readRiskState(await temporal.client(), temporal.env.taskQueue, accountOf(input), { waitMs: LOAD_WAIT_MS, signal });
  return {
    account: view.account,
    mode: view.mode,
    exchange: view.exchange,
    trading_state: view.trading_state,
    last_change: view.last_change,
    limits: view.limits,
    limits_source: view.limits_source,
    limits_loaded_at: view.limits_loaded_at,
    working_orders: view.reservations.length,
    workflow_id: view.workflow_id,
    run_id: view.run_id,
  };
});
