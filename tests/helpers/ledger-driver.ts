/**
 * Drives the ledger through a plain Temporal client the way the worker and the ledger server do:
 * fills are booked with the same update-with-start the order workflow's activity uses, reports run
 * the same short workflows the ledger tools run, and marks are fed into real tick stores.
 */
import type { Client } from '@temporalio/client';
import {
  FILLS_JOURNAL_WORKFLOW,
  PERFORMANCE_REPORT_WORKFLOW,
  PORTFOLIO_STATUS_WORKFLOW,
  ledgerBalancesQuery,
  ledgerReportWorkflowId,
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
import { bookFillsInLedger, type BookFillsResult } from '../../worker/activities/ledger/book-fills.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';

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

  book(...fills: LedgerFill[]): Promise<BookFillsResult> {
    return bookFillsInLedger(this.client, this.taskQueue, this.settings, { account: this.account, fills });
  }

  balances(): Promise<LedgerBalances> {
    return this.client.workflow.getHandle(this.workflowId).query(ledgerBalancesQuery);
  }

  private report<T>(tool: string, workflowType: string, request: unknown): Promise<LedgerReport<T>> {
    return this.client.workflow.execute(workflowType, {
      workflowId: ledgerReportWorkflowId(tool, this.account, crypto.randomUUID()),
      taskQueue: this.taskQueue,
      args: [request],
      workflowExecutionTimeout: '1 minute',
    }) as Promise<LedgerReport<T>>;
  }

  portfolio(): Promise<LedgerReport<PortfolioStatus>> {
    return this.report('get_portfolio_status', PORTFOLIO_STATUS_WORKFLOW, { account: this.account });
  }

  fills(journal: JournalRequest): Promise<LedgerReport<JournalPage>> {
    return this.report('get_fills', FILLS_JOURNAL_WORKFLOW, { account: this.account, journal });
  }

  performance(window: PerformanceWindow): Promise<LedgerReport<PerformanceReport>> {
    return this.report('get_performance', PERFORMANCE_REPORT_WORKFLOW, { account: this.account, window });
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

export function uniqueAccount(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
