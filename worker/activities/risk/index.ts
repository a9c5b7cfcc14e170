/**
 * The risk activities: the I/O behind the risk gate (quotes, balances, order status, price
 * history) and the way other workflows reach it. Configuration enters here, read once at worker
 * start-up, and reaches the risk workflow as a recorded activity result.
 */
import { Context } from '@temporalio/activity';
import type { RiskCheckRequest, RiskDecision, RiskSettings, RiskStateView } from '../../../schemas/temporal/risk.js';
import type { WorkerConfig } from '../../config/worker-config.js';
import type { GatherRiskInputsRequest, PortfolioVarRequest, PortfolioVarResult, RiskInputs } from '../../../domain/risk/risk-inputs.js';
import { gatherRiskInputs } from './gather-inputs.js';
import { estimatePortfolioVar } from './price-history.js';
import { readRiskState, requestRiskDecision } from '../../../temporal/clients/risk.js';

/** How long the report's state read waits for a just-started risk workflow to load its limits. */
const LOAD_WAIT_MS = 5_000;

export function createRiskActivities(config: WorkerConfig) {
  return {
    /** The limits and mode of this worker's configuration; the exchange defaults to the market's. */
    async loadRiskSettings(): Promise<RiskSettings> {
      return { ...config.risk, exchange: config.risk.exchange ?? config.market.defaultExchange };
    },

    async gatherRiskInputs(req: GatherRiskInputsRequest): Promise<RiskInputs> {
      const { client, info } = Context.current();
      return gatherRiskInputs({ client, taskQueue: info.taskQueue, ledgerSettings: config.ledger }, req);
    },

    async estimatePortfolioVar(req: PortfolioVarRequest): Promise<PortfolioVarResult> {
      return estimatePortfolioVar(Context.current().client, req);
    },

    /** The gate as other workflows call it (the paper order's pre-trade gate, an intent on its way to the bus). */
    async requestRiskDecision(req: RiskCheckRequest): Promise<RiskDecision> {
      const { client, info } = Context.current();
      // The same for every attempt of this activity: a retry attaches to the request already sent.
      const run = info.workflowExecution;
      return requestRiskDecision(client, info.taskQueue, req, { requestId: run ? `${run.workflowId}/${run.runId}/${info.activityId}` : crypto.randomUUID() });
    },

    async readRiskState(req: { account: string }): Promise<RiskStateView> {
      const { client, info } = Context.current();
      return readRiskState(client, info.taskQueue, req.account, { waitMs: LOAD_WAIT_MS });
    },
  };
}

export type RiskActivities = ReturnType<typeof createRiskActivities>;
