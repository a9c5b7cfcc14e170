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
import { readMarksFromTickStores } from '../../../temporal/clients/marks.js';
import { accountLedgerSettings, asActivityFailure } from '../account-settings.js';

export type { LedgerRead } from '../../../temporal/clients/ledger.js';

export function createLedgerActivities(config: WorkerConfig) {
  /** The account's ledger as this worker starts it: on its own task queue, with its settings; UnknownAccount when not configured. */
  function ledgerOf(account: string): LedgerTarget {
    const { client, info } = Context.current();
    return { client, taskQueue: info.taskQueue, account, settings: accountLedgerSettings(config, account) };
  }

  async function onLedger<T>(account: string, call: (target: LedgerTarget) => Promise<T>): Promise<T> {
    try {
      return await call(ledgerOf(account));
    } catch (err) {
      throw asActivityFailure(err, account);
    }
  }

  return {
    /** The ledger bounds of this worker's configuration (a ledger continuing as new picks up changes). */
    async loadLedgerSettings(): Promise<LedgerSettings> {
      return { ...config.ledger, marksExchange: config.market.defaultExchange };
    },

    /** A new ledger's settings: the bounds with the account's initial cash; UnknownAccount when the account is not configured. */
    async loadAccountLedgerSettings(req: { account: string }): Promise<LedgerSettings> {
      return { ...accountLedgerSettings(config, req.account), marksExchange: config.market.defaultExchange };
    },

    async readMarks(req: { symbols: string[] }): Promise<Marks> {
      return readMarksFromTickStores(Context.current().client, config.market.defaultExchange, req.symbols);
    },

    async readLedgerBalances(req: { account: string }): Promise<LedgerRead<LedgerBalances>> {
      return onLedger(req.account, (target) => readLedgerBalances(target));
    },

    async readLedgerJournal(req: { account: string; request: JournalRequest }): Promise<LedgerRead<JournalPage>> {
      return onLedger(req.account, (target) => readLedgerJournal(target, req.request));
    },

    async readLedgerPerformanceInputs(req: { account: string }): Promise<LedgerRead<PerformanceInputs>> {
      return onLedger(req.account, (target) => readLedgerPerformanceInputs(target));
    },

    async bookFills(req: BookFillsRequest): Promise<BookFillsResult> {
      return onLedger(req.account, (target) => bookFills(target, req.fills));
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
