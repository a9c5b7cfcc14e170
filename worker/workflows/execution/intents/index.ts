/** Execution workflows: the intent bus. */
export {};
