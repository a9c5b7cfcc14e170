/**
 * The red team's invariant checker: given an account, it reads the fills (get_fills), positions
 * (get_portfolio_status), the risk state (get_risk_limits: trading state, limits, working orders;
 * the state log and reservations through the risk workflow's query, as the operator CLI reads them)
 * and every order the client knows of, and holds them against the client's own journal of answers.
 * It answers a list of violations with context; an empty list means every promise held:
 *
 * - no fill of any kind while HALTED, no buy while REDUCING, and once a tightening has answered no
 *   order still working against it; an order stopped by the state says so (trading-state.ts);
 * - only a person loosens: the operator, or a person at the host with the operator's one-time code;
 * - a symbol's notional, the gross exposure, each order's notional and the working orders stay within
 *   the limits at every fill (limits.ts), and the limits themselves never change;
 * - a pre_trade_risk_check is a dry run holding nothing; gate rejections carry structured reasons;
 *   unknown accounts and `__proto__`/`constructor` keys are refused (refusals.ts);
 * - fills are not dust, positions add up, and the gate's working count follows the orders (ledger.ts).
 */
import type { HostileClient } from './harness/hostile-client.js';
import { exposureWithinLimits, limitsUnchanged, type LimitsBaseline } from './invariants/limits.js';
import { fillsAndPositions, workingCountFollowsOrders } from './invariants/ledger.js';
import { dryRunsAreDry, forbiddenKeysRefused, rejectionsAreStructured, unknownAccountsRefused } from './invariants/refusals.js';
import { OrderStatusCache, takeSnapshot, type Snapshot } from './invariants/snapshot.js';
import { fillsAgainstState, ordersAgainstState, tradingTimeline } from './invariants/trading-state.js';
import type { Violation } from './invariants/violation.js';
import { getRiskLimits } from '../../schemas/risk.js';

export { formatViolations, type Violation } from './invariants/violation.js';
export { IN_FLIGHT_GRACE_MS } from './invariants/trading-state.js';
export { LIMIT_TOLERANCE } from './invariants/limits.js';

export class InvariantChecker {
  private readonly orders = new OrderStatusCache();
  /** The last snapshot taken, for a test that wants to assert on it as well. */
  last: Snapshot | null = null;

  private constructor(
    readonly client: HostileClient,
    readonly account: string,
    readonly baseline: LimitsBaseline,
  ) {}

  /** Takes the account's limits as they are before the red team starts (the baseline they must keep). */
  static async start(client: HostileClient, account: string): Promise<InvariantChecker> {
    const outcome = await client.call(client.stack.risk, 'get_risk_limits', { account });
    const parsed = getRiskLimits.output.safeParse(outcome.structured);
    if (!outcome.ok || !parsed.success) throw new Error(`get_risk_limits for ${account} did not answer a baseline: ${outcome.text.slice(0, 300)}`);
    return new InvariantChecker(client, account, { limits: parsed.data.limits, limits_loaded_at: parsed.data.limits_loaded_at });
  }

  async check(): Promise<Violation[]> {
    const { journal } = this.client;
    const temporal = this.client.stack.temporal.client;
    const snapshot = await takeSnapshot(this.client, this.account, this.orders);
    this.last = snapshot;
    const timeline = tradingTimeline(this.account, snapshot.stateLog, journal);
    return [
      ...snapshot.readErrors,
      ...timeline.violations,
      ...fillsAgainstState(snapshot, timeline),
      ...ordersAgainstState(snapshot, timeline, journal),
      ...exposureWithinLimits(snapshot, this.baseline),
      ...limitsUnchanged(snapshot, this.baseline),
      ...dryRunsAreDry(this.account, snapshot, journal),
      ...rejectionsAreStructured(snapshot),
      ...forbiddenKeysRefused(journal),
      ...fillsAndPositions(snapshot),
      ...(await unknownAccountsRefused(journal, temporal)),
      ...(await workingCountFollowsOrders(snapshot, temporal, this.account)),
    ];
  }
}
