import { cancelOrder } from '../../../../schemas/execution-orders.js';
import { cancelOrder as requestCancel } from '../../../../temporal/clients/orders/cancellation.js';
import { defineTool } from '../../../kit/define-tool.js';
import { orderOutput } from './order-output.js';

/** How long the call waits for the order's worker to take the cancellation. */
const CANCEL_WAIT_MS = 15_000;

export const cancelOrderTool = defineTool(cancelOrder, async (input, { temporal, signal }) => {
  const outcome = await requestCancel(await temporal.client(), input.client_order_id, signal, CANCEL_WAIT_MS);
  return { cancelled: outcome.cancelled, ...orderOutput(outcome.order, outcome.runId) };
});
