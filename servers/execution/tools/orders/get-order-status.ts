import { getOrderStatus } from '../../../../schemas/execution-orders.js';
import { readOrder } from '../../../../temporal/clients/orders/read-order.js';
import { defineTool } from '../../../kit/define-tool.js';
import { orderOutput } from './order-output.js';

export const getOrderStatusTool = defineTool(getOrderStatus, async (input, { temporal }) => {
  const read = await readOrder(await temporal.client(), input.client_order_id);
  return orderOutput(read.order, read.runId);
});
