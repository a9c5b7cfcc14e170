/**
 * Drives the intent bus through a plain Temporal client exactly as the execution server does:
 * a submission is the idempotent start submit_intent makes, a subscription the update it sends;
 * the bus, its subscribers and the journals are read through their queries.
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { riskLegsOf } from '../../schemas/risk.js';
import {
  INTENT_BUS_WORKFLOW,
  INTENT_SUBMISSION_WORKFLOW,
  busStatusQuery,
  intentBusWorkflowId,
  intentJournalQuery,
  intentJournalWorkflowId,
  intentSubmissionWorkflowId,
  intentSubscriberWorkflowId,
  subscribeIntentsUpdate,
  subscriberStatusQuery,
  unsubscribeIntentsUpdate,
  type BusStatus,
  type IntentJournalPage,
  type IntentSubmission,
  type IntentSubmissionResult,
  type SubscribeResult,
  type SubscriberStatus,
  type UnsubscribeResult,
} from '../../schemas/temporal/intents.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../../temporal/idempotent-start.js';

export interface LegInput {
  symbol: string;
  side: 'buy' | 'sell';
  qty?: string;
  quote_notional?: string;
  limit_price?: string;
}

export class IntentDriver {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /** Starts the submission as submit_intent does (same workflow id, same fingerprint). */
  start(account: string, intentId: string, legs: LegInput[], maxSlippageBps: number | null = null): Promise<StartedWorkflow> {
    const submission: IntentSubmission = { intent_id: intentId, account, legs: riskLegsOf(intentId, legs), max_slippage_bps: maxSlippageBps };
    return sha256Hex({ account, legs: submission.legs, max_slippage_bps: maxSlippageBps }).then((fingerprint) =>
      startIdempotent(this.client, {
        workflowType: INTENT_SUBMISSION_WORKFLOW,
        workflowId: intentSubmissionWorkflowId(intentId),
        taskQueue: this.taskQueue,
        args: [submission],
        fingerprint,
        keyName: 'intent_id',
      }),
    );
  }

  async submit(account: string, intentId: string, legs: LegInput[], maxSlippageBps: number | null = null): Promise<IntentSubmissionResult> {
    const { handle } = await this.start(account, intentId, legs, maxSlippageBps);
    return (await handle.result()) as IntentSubmissionResult;
  }

  private busStart() {
    return new WithStartWorkflowOperation(INTENT_BUS_WORKFLOW, {
      workflowId: intentBusWorkflowId(this.taskQueue),
      taskQueue: this.taskQueue,
      args: [{}],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }

  subscribe(agent: string, from: 'next' | 'retained' = 'next'): Promise<SubscribeResult> {
    return this.client.workflow.executeUpdateWithStart(subscribeIntentsUpdate, { args: [{ subscriber: `agent:${agent}`, from }], startWorkflowOperation: this.busStart() });
  }

  unsubscribe(agent: string): Promise<UnsubscribeResult> {
    return this.client.workflow.executeUpdateWithStart(unsubscribeIntentsUpdate, { args: [{ subscriber: `agent:${agent}` }], startWorkflowOperation: this.busStart() });
  }

  bus(): Promise<BusStatus> {
    return this.client.workflow.getHandle(intentBusWorkflowId(this.taskQueue)).query(busStatusQuery);
  }

  subscriber(name: string): Promise<SubscriberStatus> {
    return this.client.workflow.getHandle(intentSubscriberWorkflowId(this.taskQueue, name)).query(subscriberStatusQuery);
  }

  journal(account: string, limit = 1_000): Promise<IntentJournalPage> {
    return this.client.workflow.getHandle(intentJournalWorkflowId(account)).query(intentJournalQuery, { limit });
  }
}
