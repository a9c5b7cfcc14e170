import type { ToolContract } from './contract.js';

/** Paper order tools (place_mock_order, get_order_status, cancel_order). */
export const executionOrderContracts: readonly ToolContract[] = [];
