/**
 * The Temporal side of the ensemble agent: its state workflow (selected pairs, nudges), the
 * select-pairs workflow behind the tool, and the nudge schedule that prompts the agent on an
 * interval. Pure definitions: bundled into workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const AGENT_STATE_WORKFLOW = 'agentStateWorkflow';
export const SELECT_PAIRS_WORKFLOW = 'selectPairsWorkflow';
export const ENSEMBLE_NUDGE_WORKFLOW = 'ensembleNudgeWorkflow';

export const ENSEMBLE_AGENT = 'ensemble';
export const agentStateWorkflowId = (agent: string): string => `agent:${agent}`;
export const selectPairsWorkflowId = (requestId: string): string => `select-pairs:${requestId}`;
/** One schedule per agent; created the first time pairs are selected. */
export const nudgeScheduleId = (agent: string): string => `nudge:${agent}`;
/** The schedule appends the scheduled time to this id, so each nudge run has its own id. */
export const nudgeWorkflowIdPrefix = (agent: string): string => `nudge:${agent}`;
/** The prompt a nudge delivers is keyed by the nudge run, so a retried nudge never prompts twice. */
export const nudgeMessageId = (nudgeWorkflowId: string): string => nudgeWorkflowId.replace(/[^A-Za-z0-9._:-]/g, '-').slice(-128);

export interface PairSelection {
  exchange: string;
  symbols: string[];
  selected_at: string;
  /** The select-pairs workflow that recorded it (audit trail). */
  selected_by: string;
}

export interface NudgeRecord {
  message_id: string;
  workflow_id: string;
  at: string;
}

export interface AgentStateInput {
  agent: string;
  carried?: AgentStateCarried;
  /** Signals a run handles before it hands over (AGENT_STATE_CONTINUE_AS_NEW_AFTER); absent in runs started before it existed. */
  continue_as_new_after?: number;
}

export interface AgentStateCarried {
  selection: PairSelection | null;
  nudges: number;
  last_nudge: NudgeRecord | null;
}

export type AgentState = AgentStateCarried & { agent: string };

export const selectedPairsSignal = defineSignal<[PairSelection]>('selected_pairs');
export const nudgedSignal = defineSignal<[NudgeRecord]>('nudged');
export const agentStateQuery = defineQuery<AgentState>('agentState');

export interface SelectPairsRequest {
  agent: string;
  /** null: the worker's default venue (MARKET_EXCHANGE). */
  exchange: string | null;
  symbols: string[];
}

export interface SelectPairsResult {
  agent: string;
  exchange: string;
  symbols: string[];
  stream_workflow_ids: string[];
  schedule_id: string;
  schedule_created: boolean;
  prompt_workflow_id: string;
}

export interface NudgeInput {
  agent: string;
}

