/**
 * Replays recorded workflow histories against the current workflow code. A determinism error
 * means the code would no longer reproduce a decision path it took before: the audit promise is
 * broken, and a deploy would wedge the running workflows. A history that replays today but holds a
 * version marker a later replay can miss (marker-order.ts) fails too.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
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
  /** A directory to write each history that fails into (protobuf binary), so it can be replayed offline. */
  saveFailuresTo?: string;
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
  if (opts.saveFailuresTo) {
    for (const failure of failures) {
      failure.error += `; saved as ${await saveHistory(client, opts.saveFailuresTo, failure)}`;
    }
  }
  return { replayed, failures };
}

async function saveHistory(client: Client, dir: string, failure: ReplayFailure): Promise<string> {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const proto = (await import('@temporalio/proto')).default;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${encodeURIComponent(failure.workflowId)}--${failure.runId}.history.binpb`);
  const history = await client.workflow.getHandle(failure.workflowId, failure.runId).fetchHistory();
  writeFileSync(file, proto.temporal.api.history.v1.History.encode(history).finish());
  return file;
}
