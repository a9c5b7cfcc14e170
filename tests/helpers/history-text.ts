/**
 * A workflow history as searchable text: every string and every payload's bytes decoded as UTF-8,
 * so a test can show that something secret appears nowhere in it.
 */
import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

function collect(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (value instanceof Uint8Array) into.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((item) => collect(item, into));
  else if (value && typeof value === 'object') Object.values(value as Record<string, unknown>).forEach((v) => collect(v, into));
}

export function historyText(history: History): string {
  const parts: string[] = [];
  collect(history, parts);
  return parts.join('\n');
}
