import { getAuditTrail } from '../../../schemas/ledger-audit.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { buildAuditTrail } from './audit/build-trail.js';

export const getAuditTrailTool = defineTool(getAuditTrail, async (input, { temporal }) => {
  if (Boolean(input.client_order_id) === Boolean(input.intent_id)) {
    throw new ToolError('INVALID_INPUT', 'give exactly one of client_order_id and intent_id', 'Pass the order\'s client_order_id or the intent\'s intent_id.', false);
  }
  return buildAuditTrail(await temporal.client(), {
    ...(input.client_order_id ? { client_order_id: input.client_order_id } : {}),
    ...(input.intent_id ? { intent_id: input.intent_id } : {}),
  });
});
