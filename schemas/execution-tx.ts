import type { ToolContract } from './contract.js';

/** On-chain transaction tools (sign_and_send_tx, get_tx_status). */
export const executionTxContracts: readonly ToolContract[] = [];
