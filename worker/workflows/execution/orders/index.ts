/** Execution workflows: paper orders. */
export { paperOrderWorkflow } from './paper-order.js';
