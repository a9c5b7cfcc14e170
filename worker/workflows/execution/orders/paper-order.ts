/**
 * One workflow per paper order, keyed by its client_order_id. It checks the order (shape, then the
 * pre-trade gate), fills what it can take from the venue's current book, books every fill in the
 * account's ledger, and lets a limit order with quantity left rest: the book is re-checked on a
 * timer until it crosses, the order is cancelled through the update, or it expires. Fill ids are
 * derived from the order id and the fill's sequence, and the book behind each fill is an activity
 * result in history, so a retry or a replay books exactly the same fills, once.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { INSUFFICIENT_CASH, INSUFFICIENT_HOLDINGS, LEDGER_CLOSED, type LedgerFill } from '../../../../schemas/temporal/ledger.js';
import {
  awaitOrderPlacedUpdate,
  cancelOrderUpdate,
  orderPlacementQuery,
  orderStatusQuery,
  orderWorkflowId,
  pendingOrderState,
  riskCancelOrderSignal,
  type OrderRejection,
  type PaperOrderInput,
  type PaperOrderSettings,
  type PaperOrderState,
} from '../../../../schemas/temporal/orders.js';
import type { OrderActivities } from '../../../activities/execution/orders/index.js';
import type { LedgerActivities } from '../../../activities/ledger/index.js';
import { money, text } from '../../../../domain/money.js';
import { oppositeSide, restingFill, totalQty, walkBook, type Execution } from '../../../../domain/orders/fill-model.js';
import {
  finishOrder,
  isWorking,
  ledgerFillsFor,
  recordFills,
  rejectOrder,
  rest,
  setWorkingQty,
  takeUp,
} from '../../../../domain/orders/order-state.js';
import { preTradeGate } from './pre-trade-gate.js';
import { decideOrderPath } from './order-path.js';
import { STATE_REASONS, askRiskGateForFill } from '../../risk/order-gate.js';
import { orderProgressSignal, riskWorkflowId } from '../../../../schemas/temporal/risk.js';

/** Orders started before these existed neither re-asked the gate before a resting fill nor reported back. */
const RESTING_FILL_GATED = 'resting-fill-asks-risk-gate';
const REPORTS_TO_RISK = 'order-reports-progress-to-risk';
import { checkOrderShape, requestedQty, type BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import type { SizeRules } from '../../../../domain/orders/size-rules.js';

const { loadPaperOrderSettings } = proxyLocalActivities<OrderActivities>({ startToCloseTimeout: '10 seconds' });
// A placement must not fill on a book fetched long after it was asked for: give up after a few tries.
const BOOK_RETRY = { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 };
const { fetchOrderBookSnapshot } = proxyActivities<OrderActivities>({ startToCloseTimeout: '20 seconds', retry: BOOK_RETRY });
// On the current path (order-path.ts) the book is fetched by a local activity: a read of the venue
// that waits on no workflow, so it runs inside the order's workflow task, two task dispatches fewer.
const { fetchOrderBookSnapshot: fetchOrderBookSnapshotLocally } = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '20 seconds',
  // All attempts together: a worker that stops cancels a local activity, and only a total bound lets it finish.
  scheduleToCloseTimeout: '30 seconds',
  retry: BOOK_RETRY,
});
const { bookFills } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '10 seconds',
  // Executed fills must reach the ledger: retry until they do (fill ids make every retry safe).
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [LEDGER_CLOSED] },
});

/**
 * Decimals a quantity bought or sold by quote amount is rounded down to: the venue's step where it
 * is a power of ten, so the position can be sold whole later (orders of older settings keep the
 * engine's own precision, as they were recorded).
 */
function qtyDecimalsFor(s: PaperOrderSettings, rules: SizeRules | undefined): number {
  const step = rules?.qty_step ? money(rules.qty_step) : null;
  if (!s.canonicalInput || !step || !step.isPositive()) return s.qtyDecimals;
  const places = step.decimalPlaces();
  return money(10).pow(-places).equals(step) ? Math.min(s.qtyDecimals, places) : s.qtyDecimals;
}

function describeFailure(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function paperOrderWorkflow(input: PaperOrderInput): Promise<PaperOrderState> {
  const request = input.request;
  const order: PaperOrderState = input.carried?.order ?? pendingOrderState(request, orderWorkflowId(request.client_order_id), Date.now());
  let settings: PaperOrderSettings | undefined = input.carried?.settings;
  let placed = input.carried !== undefined;
  let cancelRequested = false;
  /** Why the order was stopped, when the risk gate (not the caller) stopped it. */
  let stopReason: string | null = null;
  const reportsToRisk = patched(REPORTS_TO_RISK);
  const path = decideOrderPath();

  setHandler(orderStatusQuery, () => order);
  setHandler(orderPlacementQuery, () => ({ placed, order }));
  setHandler(riskCancelOrderSignal, ({ reason }) => {
    if (!isWorking(order) || cancelRequested) return;
    stopReason = typeof reason === 'string' ? reason.slice(0, 500) : 'stopped by the risk gate';
    cancelRequested = true;
  });

  /**
   * Tells the account's risk workflow what became of what it admitted, so its reservation follows
   * the order at once and a tightening waiting on this order can answer.
   */
  async function reportProgress(): Promise<void> {
    if (!reportsToRisk) return;
    await getExternalWorkflowHandle(riskWorkflowId(request.account))
      .signal(orderProgressSignal, {
        client_order_id: request.client_order_id,
        key: null,
        status: isWorking(order) ? 'working' : 'terminal',
        remaining_qty: order.remaining_qty,
      })
      // A closed risk workflow follows the order from its status at its next check.
      .catch(() => undefined);
  }

  const cancelledText = (fallback: string) => (stopReason ? `${stopReason}${order.fills.length ? `; filled ${order.filled_qty} before` : ''}` : fallback);
  setHandler(awaitOrderPlacedUpdate, async () => {
    await condition(() => placed);
    return order;
  });
  setHandler(cancelOrderUpdate, async () => {
    if (!isWorking(order)) return { cancelled: false, order };
    cancelRequested = true;
    await condition(() => !isWorking(order));
    return { cancelled: order.status === 'cancelled', order };
  });

  /** Fetches the book; null (with the order rejected) when the venue cannot answer. */
  async function fetchBook(s: PaperOrderSettings, onFailure: 'reject' | 'skip'): Promise<BookFetch | null> {
    try {
      const fetch = path.bookByLocalActivity ? fetchOrderBookSnapshotLocally : fetchOrderBookSnapshot;
      return await fetch({ exchange: s.exchange, symbol: request.symbol, depth: s.bookDepth, fee_overrides: { maker: s.makerFee, taker: s.takerFee } });
    } catch (err) {
      if (onFailure === 'reject') {
        rejectOrder(order, { code: 'VENUE_UNAVAILABLE', message: `the ${s.exchange} order book could not be fetched (${describeFailure(err)}); try again later` }, Date.now());
      }
      return null;
    }
  }

  /** Books fills in the ledger and records what was booked; returns the ledger's refusal, if any. */
  async function book(fills: LedgerFill[]): Promise<OrderRejection | null> {
    if (fills.length === 0) return null;
    const outcome = await bookFills({ account: request.account, fills });
    recordFills(order, fills.slice(0, outcome.booked.length), Date.now());
    if (!outcome.refused) return null;
    const codes: Record<string, OrderRejection['code']> = { [INSUFFICIENT_CASH]: 'INSUFFICIENT_CASH', [INSUFFICIENT_HOLDINGS]: 'INSUFFICIENT_HOLDINGS' };
    return { code: codes[outcome.refused.type] ?? 'INVALID_ORDER', message: `the ledger refused the fill: ${outcome.refused.message}` };
  }

  async function place(s: PaperOrderSettings): Promise<void> {
    takeUp(order, s, Date.now());
    if (cancelRequested) return finishOrder(order, 'cancelled', 'cancelled before it reached the book', Date.now());
    const malformed = checkOrderShape(request, s);
    if (malformed) return rejectOrder(order, malformed, Date.now());
    const working = requestedQty(request, s);
    if (working) setWorkingQty(order, working);

    let decision: Awaited<ReturnType<typeof preTradeGate>>;
    try {
      decision = await preTradeGate({ request, settings: s, fetchBook: () => fetchBook(s, 'reject'), stopped: () => cancelRequested, path });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const message = `the ${request.account} account's ledger could not be read (${describeFailure(err)}); try again later`;
      return rejectOrder(order, { code: 'LEDGER_UNAVAILABLE', message }, Date.now());
    }
    // Cancelled while it waited for a busy gate: it never reached the book.
    if (!decision.approved && cancelRequested) return finishOrder(order, 'cancelled', cancelledText('cancelled while it waited for the risk gate'), Date.now());
    if (!decision.approved) return decision.rejection ? rejectOrder(order, decision.rejection, Date.now()) : undefined;
    const fetched = decision.fetched;
    if (!fetched.listed) return; // the gate refuses an unlisted symbol; this only narrows the type

    const bookNow = fetched.book;
    const limitPrice = request.limit_price !== null ? money(request.limit_price) : undefined;
    // A limit order sized by quote works a quantity on the venue's step, known once the book is read.
    const stepped = working && request.qty === null ? requestedQty(request, { ...s, qtyDecimals: qtyDecimalsFor(s, fetched.size_rules) }) : working;
    if (stepped && working && !stepped.equals(working)) setWorkingQty(order, stepped);
    const taken: Execution[] = walkBook(oppositeSide(bookNow, request.side), request.side, {
      ...(stepped ? { qty: stepped } : { notional: money(request.quote_notional as string) }),
      ...(limitPrice ? { limitPrice } : {}),
      qtyDecimals: qtyDecimalsFor(s, fetched.size_rules),
    });
    if (!working) setWorkingQty(order, totalQty(taken));
    // Right after the book's local read, the time it was asked for (order-path.ts); after a booking, the time then.
    let now = path.timeBeforeLocalRead ? decision.askedAt : Date.now();
    // Stopped by the gate after it approved, before anything was booked: nothing fills.
    if (cancelRequested && reportsToRisk) return finishOrder(order, 'cancelled', cancelledText('cancelled before it reached the book'), now);
    const fills = ledgerFillsFor(order, taken, 'taker', { rates: bookNow.fees, mode: s.feeCurrencyMode }, now);
    const refused = await book(fills);
    if (fills.length > 0 || !path.timeBeforeLocalRead) now = Date.now();
    if (refused) {
      if (order.fills.length === 0) return rejectOrder(order, refused, now);
      return finishOrder(order, 'expired', `partly filled; ${refused.message}`, now);
    }
    if (money(order.remaining_qty).isZero()) {
      return finishOrder(order, 'filled', `filled against the ${s.exchange} book`, now);
    }
    if (request.type === 'market') {
      const note = request.qty !== null ? `the book held only ${order.filled_qty} of ${order.requested_qty}` : `the book ran out before ${request.quote_notional} was reached`;
      return finishOrder(order, 'expired', `market order filled ${order.filled_qty}; ${note}, the rest expired`, now);
    }
    rest(order, now + (request.expires_after_sec ?? s.defaultExpiresAfterSec) * 1000, now);
  }

  /** A resting limit order: re-check the book until it crosses, the order is cancelled, or it expires. */
  async function restUntilDone(s: PaperOrderSettings): Promise<'done' | 'roll_over'> {
    const limitPrice = money(request.limit_price as string);
    const expiresAt = order.expires_ts as number;
    const heldClock = path.timeBeforeLocalRead;
    // The time to decide by: read after each wait, and held across the book's local read (order-path.ts).
    let now = Date.now();
    const clock = () => (heldClock ? now : Date.now());
    const rollOver = () => workflowInfo().historyLength >= s.historyLimit || workflowInfo().continueAsNewSuggested;
    for (;;) {
      if (cancelRequested) {
        finishOrder(order, 'cancelled', cancelledText(order.fills.length ? `cancelled after filling ${order.filled_qty}` : 'cancelled while resting'), clock());
        return 'done';
      }
      if (clock() >= expiresAt) {
        finishOrder(order, 'expired', order.fills.length ? `expired after filling ${order.filled_qty}` : 'expired without a fill', clock());
        return 'done';
      }
      // Decided only where no local read precedes it in the task: the history's length is as held as the time.
      if (!heldClock && rollOver()) return 'roll_over';
      await condition(() => cancelRequested, Math.max(1, Math.min(s.restingPollSec * 1000, expiresAt - clock())));
      now = Date.now();
      if (cancelRequested || clock() >= expiresAt) continue;
      if (heldClock && rollOver()) return 'roll_over';

      const fetched = await fetchBook(s, 'skip');
      // A failed fetch, or a book too old to trust, waits for the next check.
      if (!fetched?.listed || clock() - fetched.book.ts > s.maxBookAgeMs) continue;
      const execution = restingFill(oppositeSide(fetched.book, request.side), request.side, limitPrice, money(order.remaining_qty));
      if (!execution) continue;
      if (path.restingFillGated || patched(RESTING_FILL_GATED)) {
        // Every fill is decided by the gate as of that fill: the state and limits now, not at placement.
        const gate = await askRiskGateForFill(request, order.remaining_qty, order.fills.length + 1, { bySignal: path.asksBySignal });
        // The answer came by signal, after a wait: the time is current again.
        now = Date.now();
        if (!gate.approved) {
          const stops = gate.decision?.reasons?.some((r) => STATE_REASONS.includes(r.code)) ?? false;
          if (stops) {
            stopReason = `the risk gate stopped it before a fill (${gate.rejection.message})`;
            cancelRequested = true;
          }
          // Any other refusal (stale data, a limit at today's prices) waits for the next cross.
          continue;
        }
        if (cancelRequested) continue;
      }
      const fills = ledgerFillsFor(order, [execution], 'maker', { rates: fetched.book.fees, mode: s.feeCurrencyMode }, clock());
      const refused = await book(fills);
      now = Date.now();
      if (refused) {
        finishOrder(order, 'cancelled', `the book crossed but ${refused.message}`, clock());
        return 'done';
      }
      if (money(order.remaining_qty).isZero()) {
        finishOrder(order, 'filled', `filled at the limit price ${text(limitPrice)} when the book crossed it`, clock());
        return 'done';
      }
      order.status = 'partially_filled';
      await reportProgress();
      now = Date.now();
    }
  }

  try {
    settings ??= await loadPaperOrderSettings();
    if (!placed) {
      await place(settings);
      placed = true;
      // A finished order reports once, at its end; a resting one reports that it rests.
      if (isWorking(order)) await reportProgress();
    }
    if (isWorking(order) && (await restUntilDone(settings)) === 'roll_over') {
      await condition(allHandlersFinished);
      return await continueAsNew<typeof paperOrderWorkflow>({ request, carried: { order, settings } });
    }
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === LEDGER_CLOSED) {
      // The ledger is gone for good: end the order with what it has booked instead of retrying forever.
      if (order.fills.length === 0) rejectOrder(order, { code: 'LEDGER_UNAVAILABLE', message: err.cause.message }, Date.now());
      else finishOrder(order, 'cancelled', err.cause.message, Date.now());
      placed = true;
    } else {
      throw err;
    }
  }
  await reportProgress();
  await condition(allHandlersFinished);
  return order;
}
