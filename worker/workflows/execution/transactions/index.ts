/** Execution workflows: transactions. */
export {};
