/**
 * Histories kept as files: recorded from a server (one file per run, the History message in its
 * protobuf binary form) and replayed later against newer workflow code. A committed corpus catches
 * a change that would break workflows already running in production, which replaying a fresh run
 * cannot. Binary rather than JSON: the SDK's JSON loader and the History type resolve different
 * copies of protobufjs in this dependency tree, while encode/decode use the type's own.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const History = proto.temporal.api.history.v1.History;
const EXTENSION = '.history.binpb';
import type { ReplayFailure, ReplayReport } from './replay-histories.js';

export interface SaveOptions {
  dir: string;
  /** Visibility query choosing the runs; default every run. */
  query?: string;
  /** Runs kept per workflow type, newest first: enough to cover each type, small enough to commit. */
  perType: number;
  /** Histories larger than this are skipped (long-lived runs carry large state). */
  maxBytes: number;
}

/** File names carry the workflow id reversibly: the replayer must see the id the run had. */
const fileName = (type: string, workflowId: string, runId: string): string => `${type}--${encodeURIComponent(workflowId)}--${runId}${EXTENSION}`;
const workflowIdOf = (file: string): string => decodeURIComponent(file.split('--')[1] ?? file);

/** One run's history written into `dir` under the corpus's naming, so replayHistoryFiles can replay it; returns the file. */
export async function saveHistory(client: Client, dir: string, run: { type: string; workflowId: string; runId: string }): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, fileName(run.type, run.workflowId, run.runId));
  writeFileSync(file, History.encode(await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).finish());
  return file;
}

export async function saveHistories(client: Client, opts: SaveOptions): Promise<string[]> {
  mkdirSync(opts.dir, { recursive: true });
  const kept = new Map<string, number>();
  const written: string[] = [];
  for await (const run of client.workflow.list(opts.query ? { query: opts.query } : {})) {
    if ((kept.get(run.type) ?? 0) >= opts.perType) continue;
    const bytes = History.encode(await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).finish();
    if (bytes.byteLength > opts.maxBytes) continue;
    const file = join(opts.dir, fileName(run.type, run.workflowId, run.runId));
    writeFileSync(file, bytes);
    kept.set(run.type, (kept.get(run.type) ?? 0) + 1);
    written.push(file);
  }
  return written;
}

export async function replayHistoryFiles(dir: string, bundlePath: string): Promise<ReplayReport> {
  const files = readdirSync(dir).filter((f) => f.endsWith(EXTENSION)).sort();
  async function* histories() {
    for (const file of files) yield { workflowId: workflowIdOf(file), history: History.decode(readFileSync(join(dir, file))) };
  }
  const failures: ReplayFailure[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath } }, histories())) {
    replayed += 1;
    if (result.error) failures.push({ workflowId: result.workflowId, runId: result.runId, error: result.error.message });
  }
  return { replayed, failures };
}
