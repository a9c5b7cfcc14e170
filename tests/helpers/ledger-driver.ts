/**
 * Drives the ledger through a plain Temporal client with the clients the worker and the ledger
 * server use: fills are booked as the order workflow's activity books them, balances are read as
 * the pre-trade gate reads them (temporal/clients/ledger.ts), reports run the same short workflows
 * the ledger tools run (temporal/clients/ledger-reports.ts), and marks are fed into real tick stores.
 */
import type { Client } from '@temporalio/client';
import {
  ledgerWorkflowId,
  type JournalPage,
  type JournalRequest,
  type LedgerBalances,
  type LedgerFill,
  type LedgerReport,
  type LedgerSettings,
  type PerformanceReport,
  type PerformanceWindow,
  type PortfolioStatus,
} from '../../schemas/temporal/ledger.js';
import type { TickStoreSettings } from '../../schemas/temporal/market.js';
import { ledgerSettingsFromEnv } from '../../worker/config/ledger-config.js';
import { bookFills, readLedgerBalances, type BookFillsResult, type LedgerTarget } from '../../temporal/clients/ledger.js';
import { runFillsJournal, runPerformanceReport, runPortfolioStatus } from '../../temporal/clients/ledger-reports.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { TEST_ACCOUNT_PREFIX } from './test-accounts.js';

/** Reports in tests wait longer than a tool does: a loaded test machine can be slow to answer. */
const REPORT_WAIT_MS = 60_000;

const STORE_SETTINGS: TickStoreSettings = { retentionCount: 100, retentionMs: 3_600_000, maxGaps: 10, continueEvery: 1_000, historyLimit: 9_000 };

export class LedgerDriver {
  readonly settings: LedgerSettings;

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly account: string,
    env: Record<string, string> = {},
  ) {
    this.settings = ledgerSettingsFromEnv(env);
  }

  get workflowId(): string {
    return ledgerWorkflowId(this.account);
  }

  private get ledger(): LedgerTarget {
    return { client: this.client, taskQueue: this.taskQueue, account: this.account, settings: this.settings };
  }

  book(...fills: LedgerFill[]): Promise<BookFillsResult> {
    return bookFills(this.ledger, fills);
  }

  async balances(): Promise<LedgerBalances> {
    return (await readLedgerBalances(this.ledger)).data;
  }

  async portfolio(): Promise<LedgerReport<PortfolioStatus>> {
    return (await runPortfolioStatus(this.client, this.taskQueue, { account: this.account }, { waitMs: REPORT_WAIT_MS })).result;
  }

  async fills(journal: JournalRequest): Promise<LedgerReport<JournalPage>> {
    return (await runFillsJournal(this.client, this.taskQueue, { account: this.account, journal }, { waitMs: REPORT_WAIT_MS })).result;
  }

  async performance(window: PerformanceWindow): Promise<LedgerReport<PerformanceReport>> {
    return (await runPerformanceReport(this.client, this.taskQueue, { account: this.account, window }, { waitMs: REPORT_WAIT_MS })).result;
  }

  /** Puts a tick into the symbol's tick store (created on first use), as a market stream would. */
  async tick(exchange: string, symbol: string, bid: number, ask: number, ts = Date.now()): Promise<void> {
    await deliverBatch(this.client, this.taskQueue, { exchange, symbol, simulated: true }, STORE_SETTINGS, {
      stream_id: 'ledger-test',
      received_at: ts,
      ticks: [{ ts, bid, ask, last: ask }],
    });
  }
}

let fillCounter = 0;

/** A fill of a test order with sensible defaults: quote fee of zero, taker, now. */
export function testFill(partial: Partial<LedgerFill> & Pick<LedgerFill, 'side' | 'qty' | 'price'>): LedgerFill {
  fillCounter += 1;
  const id = `${crypto.randomUUID().slice(0, 8)}-${fillCounter}`;
  return {
    fill_id: `test-fill:${id}`,
    client_order_id: `test-order-${id}`,
    intent_id: null,
    order_workflow_id: `order:test-order-${id}`,
    symbol: 'BTC/USDT',
    fee: '0',
    fee_currency: 'USDT',
    liquidity: 'taker',
    ts: Date.now(),
    ...partial,
  };
}

/** Every test account starts with TEST_ACCOUNT_PREFIX, which the test workers' accounts file configures. */
export function uniqueAccount(prefix: string): string {
  return `${TEST_ACCOUNT_PREFIX}${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
