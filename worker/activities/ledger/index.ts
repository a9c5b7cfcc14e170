/**
 * The ledger activities: the I/O behind the ledger and report workflows, and the ledger access
 * other groups use (the order workflow books fills, the pre-trade gate reads balances). Every
 * ledger call goes through the ledger client (temporal/clients/ledger.ts).
 */
import { Context } from '@temporalio/activity';
import type { JournalPage, JournalRequest, LedgerBalances, LedgerSettings, Marks, PerformanceInputs } from '../../../schemas/temporal/ledger.js';
import type { WorkerConfig } from '../../config/worker-config.js';
import {
  bookFills,
  readLedgerBalances,
  readLedgerJournal,
  readLedgerPerformanceInputs,
  type BookFillsRequest,
  type BookFillsResult,
  type LedgerRead,
  type LedgerTarget,
} from '../../../temporal/clients/ledger.js';
import { readMarksFromTickStores } from './marks.js';

export type { LedgerRead } from '../../../temporal/clients/ledger.js';

export function createLedgerActivities(config: WorkerConfig) {
  /** The account's ledger as this worker starts it: on its own task queue, with its settings. */
  function ledgerOf(account: string): LedgerTarget {
    const { client, info } = Context.current();
    return { client, taskQueue: info.taskQueue, account, settings: config.ledger };
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
      return readLedgerBalances(ledgerOf(req.account));
    },

    async readLedgerJournal(req: { account: string; request: JournalRequest }): Promise<LedgerRead<JournalPage>> {
      return readLedgerJournal(ledgerOf(req.account), req.request);
    },

    async readLedgerPerformanceInputs(req: { account: string }): Promise<LedgerRead<PerformanceInputs>> {
      return readLedgerPerformanceInputs(ledgerOf(req.account));
    },

    async bookFills(req: BookFillsRequest): Promise<BookFillsResult> {
      return bookFills(ledgerOf(req.account), req.fills);
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
