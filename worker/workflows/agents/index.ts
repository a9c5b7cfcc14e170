export { agentInboxWorkflow } from './agent-inbox.js';
export { promptDeliveryWorkflow } from './prompt-delivery.js';
export { conversationWorkflow } from './conversation.js';
export { agentStateWorkflow } from './agent-state.js';
export { ensembleNudgeWorkflow } from './ensemble-nudge.js';
export { selectPairsWorkflow } from './select-pairs.js';
