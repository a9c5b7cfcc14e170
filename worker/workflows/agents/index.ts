export { agentInboxWorkflow } from './agent-inbox.js';
export { promptDeliveryWorkflow } from './prompt-delivery.js';
