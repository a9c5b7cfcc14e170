/** The risk workflows (filled in by the risk issue). */
export {};
