import type { ToolDefinition } from '../../../kit/define-tool.js';
import { cancelOrderTool } from './cancel-order.js';
import { getOrderStatusTool } from './get-order-status.js';
import { placeMockOrderTool } from './place-mock-order.js';

/** The paper order tools of the execution server. */
export const orderTools: readonly ToolDefinition[] = [placeMockOrderTool, getOrderStatusTool, cancelOrderTool];
