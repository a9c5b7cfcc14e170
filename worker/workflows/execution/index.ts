/** The execution workflows (filled in by the execution issue). */
export {};
