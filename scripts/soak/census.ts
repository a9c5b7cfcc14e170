/**
 * The census of long-lived workflows on one task queue, from Temporal's visibility: per workflow
 * type, the chains (workflow ids), the runs that continued as new (hand-overs), the most any one
 * chain made, the largest history any run of the type reached (closed runs from visibility,
 * running ones from describe, which counts events as they happen), and the largest state a running
 * run was handed (its start input, which is what the run before it carried over).
 */
import type { Client } from '@temporalio/client';
import { LONG_LIVED_WORKFLOW_TYPES } from './thresholds.js';

export interface TypeCensus {
  chains: number;
  handOvers: number;
  /** Hand-overs of the chain that made the most. */
  maxChainHandOvers: number;
  maxHistoryLength: number;
  /** Bytes of the largest start input among the running runs: the carried state, as Temporal stores it. */
  maxCarriedBytes: number;
  running: number;
}

export type Census = Record<string, TypeCensus>;

export async function takeCensus(client: Client, taskQueue: string, types: readonly string[] = LONG_LIVED_WORKFLOW_TYPES): Promise<Census> {
  const census: Census = {};
  for (const type of types) {
    const perChain = new Map<string, number>();
    const runningIds: string[] = [];
    let maxHistoryLength = 0;
    let handOvers = 0;
    for await (const run of client.workflow.list({ query: `TaskQueue = "${taskQueue}" AND WorkflowType = "${type}"` })) {
      perChain.set(run.workflowId, (perChain.get(run.workflowId) ?? 0) + (run.status.name === 'CONTINUED_AS_NEW' ? 1 : 0));
      if (run.status.name === 'CONTINUED_AS_NEW') handOvers += 1;
      if (run.status.name === 'RUNNING') runningIds.push(run.workflowId);
      maxHistoryLength = Math.max(maxHistoryLength, run.historyLength ?? 0);
    }
    let maxCarriedBytes = 0;
    for (const id of runningIds) {
      const d = await client.workflow.getHandle(id).describe().catch(() => undefined);
      maxHistoryLength = Math.max(maxHistoryLength, d?.historyLength ?? 0);
      maxCarriedBytes = Math.max(maxCarriedBytes, await startInputBytes(client, id));
    }
    census[type] = {
      chains: perChain.size,
      handOvers,
      maxChainHandOvers: Math.max(0, ...perChain.values()),
      maxHistoryLength,
      maxCarriedBytes,
      running: runningIds.length,
    };
  }
  return census;
}

/** The size of the current run's start input: its first history event alone, however long the history. */
async function startInputBytes(client: Client, workflowId: string): Promise<number> {
  const page = await client.workflowService
    .getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId }, maximumPageSize: 1 })
    .catch(() => undefined);
  const payloads = page?.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return payloads.reduce((sum, p) => sum + (p.data?.length ?? 0) + Object.values(p.metadata ?? {}).reduce((m, v) => m + v.length, 0), 0);
}

/** The types whose busiest chain has not yet handed over `times` times. */
export function shortOfHandOvers(census: Census, times: number): string[] {
  return Object.entries(census)
    .filter(([, c]) => c.maxChainHandOvers < times)
    .map(([type, c]) => `${type} (${c.maxChainHandOvers})`);
}

export function totalHandOvers(census: Census): number {
  return Object.values(census).reduce((sum, c) => sum + c.handOvers, 0);
}
