/**
 * Follows a long-lived workflow's chain of runs as it continues as new: which run is current, which
 * runs were seen before, and whether a run id a tool reported belongs to the chain. Read through
 * describe, so it needs no worker and changes nothing.
 */
import type { Client } from '@temporalio/client';
import { expect } from 'vitest';
import { eventually } from './eventually.js';

export interface RunChain {
  workflowId: string;
  firstRunId: string;
  /** Runs observed so far, oldest first; the last is the newest one seen. */
  seen: string[];
}

type Description = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['describe']>>;

function firstRunOf(d: Description): string {
  return (d.raw.workflowExecutionInfo?.firstRunId as string | undefined) || d.runId;
}

/**
 * The chain as it stands: its first run, and the run counted as seen, its current one or, with
 * `fromFirstRun`, its first (for a workflow whose creating call already made it hand over, so the
 * hand-over that call caused is waited for, never missed).
 */
export async function runChain(client: Client, workflowId: string, opts: { fromFirstRun?: boolean } = {}): Promise<RunChain> {
  const d = await client.workflow.getHandle(workflowId).describe();
  const firstRunId = firstRunOf(d);
  return { workflowId, firstRunId, seen: [opts.fromFirstRun ? firstRunId : d.runId] };
}

/** Waits until the workflow runs a run not seen before (it handed over), records it and returns its id. */
export async function nextRun(client: Client, chain: RunChain, timeoutMs = 60_000): Promise<string> {
  const runId = await eventually(async () => {
    const d = await client.workflow.getHandle(chain.workflowId).describe();
    expect(d.status.name).toBe('RUNNING');
    expect(firstRunOf(d)).toBe(chain.firstRunId);
    expect(chain.seen).not.toContain(d.runId);
    return d.runId;
  }, timeoutMs);
  chain.seen.push(runId);
  return runId;
}

/** The current run's id, without waiting for a hand-over. */
export async function currentRun(client: Client, chain: RunChain): Promise<string> {
  return (await client.workflow.getHandle(chain.workflowId).describe()).runId;
}

/**
 * A run id a tool reported must name a run of this chain, and one no older than the newest run
 * seen before the call: the tool reached the current run, not the first or a stale one.
 */
export async function expectCurrentRunOf(client: Client, chain: RunChain, runId: string | null | undefined): Promise<void> {
  expect(runId).toBeTruthy();
  const d = await client.workflow.getHandle(chain.workflowId, runId!).describe();
  expect(firstRunOf(d)).toBe(chain.firstRunId);
  expect(chain.seen.slice(0, -1)).not.toContain(runId);
}
