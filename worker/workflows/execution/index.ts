/** The execution workflows: paper orders and on-chain transactions. */
export * from './orders/index.js';
export * from './intents/index.js';
export * from './transactions/index.js';
