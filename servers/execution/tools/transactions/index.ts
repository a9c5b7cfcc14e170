import type { ToolDefinition } from '../../../kit/define-tool.js';
import { getTxStatusTool } from './get-tx-status.js';
import { signAndSendTxTool } from './sign-and-send-tx.js';

export const transactionTools: readonly ToolDefinition[] = [signAndSendTxTool, getTxStatusTool];
