/** Every workflow the worker runs. Deterministic code only: see eslint rules for worker/workflows. */
export { agentInboxWorkflow } from './agents/agent-inbox.js';
export { promptDeliveryWorkflow } from './agents/prompt-delivery.js';
