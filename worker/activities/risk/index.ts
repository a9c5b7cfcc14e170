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
import { ensureRiskWorkflow, readRiskState, requestRiskDecision } from '../../../temporal/clients/risk.js';
import { accountLedgerSettings, accountRiskSettings, asActivityFailure, requireAccount } from '../account-settings.js';

/** How long the report's state read waits for a just-started risk workflow to load its limits. */
const LOAD_WAIT_MS = 5_000;

/** How often an ask of the gate heartbeats while it waits (its callers allow a few seconds' silence). */
const HEARTBEAT_EVERY_MS = 1_000;

export function createRiskActivities(config: WorkerConfig) {
  return {
    /**
     * The limits and mode of this worker's configuration for the account (its overrides on top of
     * the global limits); the exchange defaults to the market's. For an account the operator did
     * not configure it fails with UnknownAccount, which ends a new risk workflow at once.
     */
    async loadRiskSettings(req: { account: string }): Promise<RiskSettings> {
      return accountRiskSettings(config, req.account);
    },

    async gatherRiskInputs(req: GatherRiskInputsRequest): Promise<RiskInputs> {
      const { client, info } = Context.current();
      return gatherRiskInputs({ client, taskQueue: info.taskQueue, ledgerSettings: accountLedgerSettings(config, req.account) }, req);
    },

    async estimatePortfolioVar(req: PortfolioVarRequest): Promise<PortfolioVarResult> {
      return estimatePortfolioVar(Context.current().client, req);
    },

    /** The gate as other workflows call it (the paper order's pre-trade gate, an intent on its way to the bus). */
    async requestRiskDecision(req: RiskCheckRequest): Promise<RiskDecision> {
      requireAccount(config, req.account);
      const { client, info } = Context.current();
      // The same for every attempt of this activity: a retry attaches to the request already sent.
      const run = info.workflowExecution;
      // While the gate decides, say this worker is alive: a worker killed mid-ask is then noticed
      // by its heartbeat timeout, and the ask retried elsewhere, within seconds (not a local activity: it cannot).
      const context = Context.current();
      const beat = info.isLocal ? undefined : setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await requestRiskDecision(client, info.taskQueue, req, { requestId: run ? `${run.workflowId}/${run.runId}/${info.activityId}` : crypto.randomUUID() });
      } catch (err) {
        throw asActivityFailure(err, req.account);
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * Starts the account's gate for an order that found it not running; refuses an account the
     * operator did not configure (UnknownAccount) and a closed gate (RISK_WORKFLOW_CLOSED).
     */
    async ensureRiskGate(req: { account: string }): Promise<void> {
      requireAccount(config, req.account);
      const { client, info } = Context.current();
      await ensureRiskWorkflow(client, info.taskQueue, req.account).catch((err: unknown) => {
        throw asActivityFailure(err, req.account);
      });
    },

    async readRiskState(req: { account: string }): Promise<RiskStateView> {
      requireAccount(config, req.account);
      const { client, info } = Context.current();
      return readRiskState(client, info.taskQueue, req.account, { waitMs: LOAD_WAIT_MS }).catch((err: unknown) => {
        throw asActivityFailure(err, req.account);
      });
    },
  };
}

export type RiskActivities = ReturnType<typeof createRiskActivities>;
