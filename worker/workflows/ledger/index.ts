/** The ledger workflows (filled in by the ledger issue). */
export {};
