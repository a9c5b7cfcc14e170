/**
 * Looks for a private key anywhere it must never be: workflow histories (every event, every
 * payload decoded), tool results, log text. A key is searched as hex with and without 0x, in any
 * letter case, and as its raw 32 bytes inside binary payloads.
 */
import type { Client } from '@temporalio/client';

function keyHex(privateKey: string): string {
  return privateKey.replace(/^0x/i, '').toLowerCase();
}

function containsKey(text: string, hex: string): boolean {
  const lower = text.toLowerCase();
  return lower.includes(hex) || lower.includes(`0x${hex}`);
}

/** Paths (like history.events.12.attributes.input.payloads.0.data) at which a key was found. */
export function findKey(value: unknown, privateKey: string, path = '$'): string[] {
  const hex = keyHex(privateKey);
  const raw = Buffer.from(hex, 'hex');
  if (typeof value === 'string') return containsKey(value, hex) ? [path] : [];
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value);
    return bytes.includes(raw) || containsKey(bytes.toString('utf8'), hex) || containsKey(bytes.toString('base64'), hex) ? [path] : [];
  }
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findKey(item, privateKey, `${path}.${i}`));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => findKey(v, privateKey, `${path}.${k}`));
  }
  return [];
}

export interface HistoryScan {
  /** Workflow runs whose full history was read. */
  runs: number;
  events: number;
  /** workflowId/runId: path, for every place a key was found. */
  leaks: string[];
}

/** Reads the history of every workflow run on a task queue and searches all of it. */
export async function scanHistoriesForKey(client: Client, taskQueue: string, privateKey: string): Promise<HistoryScan> {
  const scan: HistoryScan = { runs: 0, events: 0, leaks: [] };
  for await (const execution of client.workflow.list({ query: `TaskQueue="${taskQueue}"` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    scan.runs += 1;
    scan.events += history.events?.length ?? 0;
    for (const leak of findKey(history, privateKey)) scan.leaks.push(`${execution.workflowId}/${execution.runId}: ${leak}`);
  }
  return scan;
}
