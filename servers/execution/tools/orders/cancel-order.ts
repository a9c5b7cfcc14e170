import { cancelOrder } from '../../../../schemas/execution-orders.js';
import { cancelOrderUpdate, orderWorkflowId } from '../../../../schemas/temporal/orders.js';
import { defineTool } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';
import { orderOutput, readOrder } from './read-order.js';

/** How long the call waits for the order's worker to take the cancellation. */
const CANCEL_WAIT_MS = 15_000;

export const cancelOrderTool = defineTool(cancelOrder, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const current = await readOrder(client, input.client_order_id);
  if (!current.running) return { cancelled: false, ...orderOutput(current.order, current.runId) };

  const deadline = AbortSignal.any([signal, AbortSignal.timeout(CANCEL_WAIT_MS)]);
  try {
    const outcome = await client.withAbortSignal(deadline, () =>
      client.workflow.getHandle(orderWorkflowId(input.client_order_id)).executeUpdate(cancelOrderUpdate),
    );
    return { cancelled: outcome.cancelled, ...orderOutput(outcome.order, current.runId) };
  } catch (err) {
    if (deadline.aborted && !signal.aborted) {
      throw new ToolError(
        'CANCEL_NOT_CONFIRMED',
        `no worker confirmed the cancellation of ${input.client_order_id} within ${CANCEL_WAIT_MS / 1000} s`,
        'Check that the worker runs (npm start), then call cancel_order again; it is safe to repeat.',
        true,
      );
    }
    // The order finished between the read and the update: report its final state.
    const after = await readOrder(client, input.client_order_id);
    if (!after.running) return { cancelled: false, ...orderOutput(after.order, after.runId) };
    throw err;
  }
});
