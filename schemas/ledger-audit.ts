import { z } from 'zod';
import { idempotencyKey } from './common.js';
import { defineContract } from './contract.js';

const auditStep = z.object({
  step: z.enum(['nudge', 'prompt', 'intent', 'risk_decision', 'order', 'fill']),
  workflow_id: z.string(),
  run_id: z.string().nullable(),
  at: z.string().describe('ISO-8601 UTC time of the step'),
  summary: z.string().describe('What happened at this step, in one line'),
  detail: z.record(z.string(), z.unknown()).describe('The step\'s own identifiers and figures'),
});

export const getAuditTrail = defineContract({
  name: 'get_audit_trail',
  group: 'ledger',
  title: 'Audit trail of a trade',
  description:
    'The decision path of a trade, oldest first: nudge → prompt → intent → risk decision → order → fills, each step with its workflow id, run id and time, read from the workflows themselves. Give exactly one of client_order_id and intent_id. missing lists steps the trail could not reach (e.g. an order placed directly, without an intent or a prompt).',
  input: z.object({
    client_order_id: idempotencyKey.optional().describe('An order: its intent, prompt and nudge are found from it'),
    intent_id: idempotencyKey.optional().describe('An intent: its prompt, risk decision, orders and fills'),
  }),
  output: z.object({
    steps: z.array(auditStep),
    missing: z.array(z.string()).describe('Links that could not be followed, and why'),
    complete: z.boolean().describe('True when the trail runs from a nudge all the way to fills'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});
