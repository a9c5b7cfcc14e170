/**
 * What the gate must refuse, and how: a dry run answers as one and holds nothing; a gate rejection
 * of an order carries the gate's structured reasons; an account nobody configured is refused
 * UNKNOWN_ACCOUNT and leaves no ledger or risk workflow behind; a `__proto__` or `constructor` key is
 * refused as unknown input.
 */
import type { Client } from '@temporalio/client';
import { riskReason } from '../../../schemas/risk.js';
import { ledgerWorkflowId } from '../../../schemas/temporal/ledger.js';
import { riskWorkflowId } from '../../../schemas/temporal/risk.js';
import type { Journal } from '../harness/journal.js';
import type { Snapshot } from './snapshot.js';
import type { Violation } from './violation.js';

export function dryRunsAreDry(account: string, snapshot: Snapshot, journal: Journal): Violation[] {
  const violations: Violation[] = [];
  const checkIntents = new Set<string>();
  for (const check of journal.checks.filter((c) => c.account === account && c.outcome.ok)) {
    checkIntents.add(check.intent_id);
    const answer = check.outcome.structured ?? {};
    if (answer.dry_run !== true || answer.duplicate === true) {
      violations.push({ invariant: 'dry-run-is-dry', message: `pre_trade_risk_check ${check.intent_id} answered dry_run: ${String(answer.dry_run)}, duplicate: ${String(answer.duplicate)}; a check must be a dry run that no later call can reuse`, context: { intent_id: check.intent_id, decision: answer.decision } });
    }
  }
  for (const r of snapshot.view?.reservations ?? []) {
    if (checkIntents.has(r.intent_id) && !journal.orders.has(r.client_order_id)) {
      violations.push({ invariant: 'dry-run-is-dry', message: `the gate holds capacity for ${r.client_order_id} of intent ${r.intent_id}, which only pre_trade_risk_check asked about`, context: r });
    }
  }
  return violations;
}

export function rejectionsAreStructured(snapshot: Snapshot): Violation[] {
  const violations: Violation[] = [];
  for (const [id, order] of snapshot.orders) {
    if (order.status !== 'rejected' || order.rejection?.code !== 'RISK_REJECTED') continue;
    const rejection = order.rejection as { reasons?: unknown; risk_check_id?: string | null; message: string };
    // A decision the gate took (it names its risk check); a gate it could not reach fails closed without one.
    const decided = Boolean(rejection.risk_check_id) || /\(rc:/.test(rejection.message);
    if (!decided) continue;
    const reasons = rejection.reasons;
    const valid = Array.isArray(reasons) && reasons.length > 0 && reasons.every((r) => riskReason.strict().safeParse(r).success);
    if (!valid) {
      violations.push({ invariant: 'structured-rejection', message: `order ${id} was refused by the gate without its reasons as [{code, message, leg_index}]`, context: { client_order_id: id, rejection: order.rejection } });
    }
  }
  return violations;
}

async function runningWorkflow(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch {
    return false;
  }
}

export async function unknownAccountsRefused(journal: Journal, client: Client): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const call of journal.unknownAccountCalls) {
    if (call.outcome.error_code !== 'UNKNOWN_ACCOUNT') {
      violations.push({ invariant: 'unknown-account-refused', message: `${call.tool} on unconfigured account ${call.account} answered ${call.outcome.ok ? 'successfully' : call.outcome.error_code} instead of UNKNOWN_ACCOUNT`, context: { text: call.outcome.text.slice(0, 200) } });
    }
  }
  for (const account of new Set(journal.unknownAccountCalls.map((c) => c.account))) {
    const running = (await Promise.all([riskWorkflowId(account), ledgerWorkflowId(account)].map(async (id) => ((await runningWorkflow(client, id)) ? id : null)))).filter(Boolean);
    if (running.length) violations.push({ invariant: 'unknown-account-refused', message: `unconfigured account ${account} has running workflows ${running.join(', ')}`, context: { account } });
  }
  return violations;
}

export function forbiddenKeysRefused(journal: Journal): Violation[] {
  return journal.forbiddenKeyCalls
    .filter((call) => call.outcome.error_code !== 'INVALID_INPUT' || !call.outcome.text.includes(call.key))
    .map((call) => ({
      invariant: 'forbidden-key-refused' as const,
      message: `${call.tool} with a "${call.key}" key answered ${call.outcome.ok ? 'successfully' : call.outcome.error_code} instead of INVALID_INPUT naming the key`,
      context: { text: call.outcome.text.slice(0, 200) },
    }));
}
