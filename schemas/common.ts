import { z } from 'zod';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE } from './primitives/request-id.js';
import { SHORT_NAME } from './primitives/short-name.js';

/** Names of agents (inboxes): short, URL- and workflow-id-safe. */
export const agentName = z
  .string()
  .regex(SHORT_NAME, 'use 1-64 characters: lowercase letters, digits, "-" or "_", starting with a letter or digit')
  .describe('Agent name, e.g. "ensemble"');

/**
 * Idempotency keys become part of a workflow id, so they are restricted to characters that are
 * safe there and readable in the Temporal UI.
 */
export const idempotencyKey = z.string().regex(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE);

/** The durable execution behind a result: one lookup away in the Temporal UI or `temporal workflow show`. */
export const workflowRef = {
  workflow_id: z.string().describe('Temporal workflow id behind this result'),
  run_id: z.string().describe('Temporal run id of that workflow execution'),
};

export const isoTimestamp = z.string().describe('ISO-8601 UTC timestamp');
