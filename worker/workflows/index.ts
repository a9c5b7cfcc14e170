/** Every workflow the worker runs, one module per tool group. Deterministic code only (see eslint.config.js). */
export * from './system/index.js';
export * from './agents/index.js';
export * from './market/index.js';
export * from './risk/index.js';
export * from './execution/index.js';
export * from './ledger/index.js';
