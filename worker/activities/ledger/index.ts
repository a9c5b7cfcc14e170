/**
 * The ledger activities: the I/O behind the ledger and report workflows, and the ledger access
 * other groups use (the order workflow books fills, the pre-trade gate reads balances).
 */
import { Context } from '@temporalio/activity';
import {
  ledgerBalancesQuery,
  ledgerJournalQuery,
  ledgerPerformanceInputsQuery,
  type JournalPage,
  type JournalRequest,
  type LedgerBalances,
  type LedgerSettings,
  type PerformanceInputs,
} from '../../../schemas/temporal/ledger.js';
import type { WorkerConfig } from '../../config/worker-config.js';
import { bookFillsInLedger, type BookFillsRequest, type BookFillsResult } from './book-fills.js';
import { ensureLedger } from '../../../temporal/clients/ledger.js';
import { readMarksFromTickStores, type Marks } from './marks.js';

/** A ledger read with the execution that answered it, for the audit trail. */
export interface LedgerRead<T> {
  data: T;
  workflow_id: string;
  run_id: string;
}

export function createLedgerActivities(config: WorkerConfig) {
  async function read<T>(account: string, query: (handle: Awaited<ReturnType<typeof ensureLedger>>['handle']) => Promise<T>): Promise<LedgerRead<T>> {
    const { client, info } = Context.current();
    const { handle, runId } = await ensureLedger({ client, taskQueue: info.taskQueue, account, settings: config.ledger });
    return { data: await query(handle), workflow_id: handle.workflowId, run_id: runId };
  }

  return {
    /** The ledger bounds of this worker's configuration (a ledger continuing as new picks up changes). */
    async loadLedgerSettings(): Promise<LedgerSettings> {
      return config.ledger;
    },

    async readMarks(req: { symbols: string[] }): Promise<Marks> {
      return readMarksFromTickStores(Context.current().client, config.market.defaultExchange, req.symbols);
    },

    async readLedgerBalances(req: { account: string }): Promise<LedgerRead<LedgerBalances>> {
      return read(req.account, (handle) => handle.query(ledgerBalancesQuery));
    },

    async readLedgerJournal(req: { account: string; request: JournalRequest }): Promise<LedgerRead<JournalPage>> {
      return read(req.account, (handle) => handle.query(ledgerJournalQuery, req.request));
    },

    async readLedgerPerformanceInputs(req: { account: string }): Promise<LedgerRead<PerformanceInputs>> {
      return read(req.account, (handle) => handle.query(ledgerPerformanceInputsQuery));
    },

    async bookFills(req: BookFillsRequest): Promise<BookFillsResult> {
      const { client, info } = Context.current();
      return bookFillsInLedger(client, info.taskQueue, config.ledger, req);
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
