/**
 * Reading the answers a red-team test asserts on: the reason codes of a decision or of a refused
 * order (structured when the gate gives them, else the codes its text names, so a test reports what
 * it saw either way), and waiting until orders of an intent have finished.
 */
import { eventually } from '../../helpers/eventually.js';
import type { HostileClient } from './hostile-client.js';
import type { CallOutcome } from './journal.js';

const CODE_IN_TEXT = /\b[A-Z][A-Z_]{4,}\b/g;

export function decisionCodes(outcome: CallOutcome): string[] {
  const reasons = outcome.structured?.reasons;
  return Array.isArray(reasons) ? reasons.map((r) => (r as { code: string }).code) : [];
}

/** The gate's reason codes behind a rejected order: its structured reasons, or those its message names. */
export function rejectionCodes(order: Record<string, unknown> | null | undefined): string[] {
  const rejection = order?.rejection as { code?: string; message?: string; reasons?: Array<{ code: string }> } | null | undefined;
  if (!rejection) return [];
  if (Array.isArray(rejection.reasons) && rejection.reasons.length > 0) return rejection.reasons.map((r) => r.code);
  return [...new Set((rejection.message ?? '').match(CODE_IN_TEXT) ?? [])];
}

const FINISHED = new Set(['filled', 'cancelled', 'expired', 'rejected']);

/** Waits until every order has left pending/open (an intent's orders are placed after it answers). */
export async function ordersFinished(client: HostileClient, ids: string[], timeoutMs = 30_000): Promise<Array<Record<string, unknown>>> {
  return eventually(
    async () =>
      Promise.all(
        ids.map(async (id) => {
          const status = await client.call(client.stack.execution, 'get_order_status', { client_order_id: id });
          if (!status.ok || !FINISHED.has(String(status.structured?.status))) throw new Error(`order ${id} has not finished: ${status.text.slice(0, 200)}`);
          return status.structured as Record<string, unknown>;
        }),
      ),
    timeoutMs,
    250,
  );
}
