/**
 * Replays recorded workflow histories against the current workflow code. A determinism error
 * means the code would no longer reproduce a decision path it took before: the audit promise is
 * broken, and a deploy would wedge the running workflows. A history that replays today but holds a
 * version marker a later replay can miss (marker-order.ts) fails too.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { historyDigest } from './history-digest.js';
import { saveHistory } from './history-files.js';
import { markersAfterLocalActivities } from './marker-order.js';

export interface ReplayFailure {
  workflowId: string;
  runId: string;
  workflowType?: string;
  error: string;
}

export interface ReplayReport {
  replayed: number;
  failures: ReplayFailure[];
}

export interface ReplayOptions {
  bundlePath: string;
  /** A Temporal visibility query; default: every workflow the server lists. */
  query?: string;
  /** Most recent executions to replay. */
  limit: number;
  /** A directory to write each history that fails into (history-files.ts naming), to replay it offline with replayHistoryFiles. */
  saveFailuresTo?: string;
  /** Append the failing history as text to its failure (history-digest.ts), for runs whose files are lost with the machine. */
  digestFailures?: boolean;
}

export async function replayRecentHistories(client: Client, opts: ReplayOptions): Promise<ReplayReport> {
  const executions: WorkflowExecutionInfo[] = [];
  for await (const execution of client.workflow.list(opts.query ? { query: opts.query } : {})) {
    executions.push(execution);
    if (executions.length >= opts.limit) break;
  }
  const types = new Map(executions.map((e) => [e.runId, e.type]));
  const failures: ReplayFailure[] = [];
  async function* histories() {
    for (const e of executions) {
      const history = await client.workflow.getHandle(e.workflowId, e.runId).fetchHistory();
      for (const problem of markersAfterLocalActivities(history.events ?? [])) {
        failures.push({ workflowId: e.workflowId, runId: e.runId, workflowType: e.type, error: problem });
      }
      yield { workflowId: e.workflowId, history };
    }
  }
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: opts.bundlePath } }, histories())) {
    replayed += 1;
    if (result.error) {
      failures.push({ workflowId: result.workflowId, runId: result.runId, workflowType: types.get(result.runId), error: result.error.message });
    }
  }
  for (const failure of failures) {
    const run = { type: failure.workflowType ?? 'unknown', workflowId: failure.workflowId, runId: failure.runId };
    if (opts.saveFailuresTo) failure.error += `; saved as ${await saveHistory(client, opts.saveFailuresTo, run)}`;
    if (opts.digestFailures) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      failure.error += `\nits history:\n${historyDigest(history.events ?? [])}`;
    }
  }
  return { replayed, failures };
}
