/** The market workflows (filled in by the market issue). */
export {};
