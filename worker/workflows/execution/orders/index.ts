/** Execution workflows: orders. */
export {};
