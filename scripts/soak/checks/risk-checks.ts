/**
 * The risk server's tools: the trading account stays ACTIVE and a dry run approves, the
 * tightened account stays tightened across hand-overs, and the report reads.
 */
import type { ToolOutput } from '../../../schemas/contract.js';
import type { getRiskLimits, getRiskReport, preTradeRiskCheck, setTradingState } from '../../../schemas/risk.js';
import { riskWorkflowId } from '../../../schemas/temporal/risk.js';
import { check, checkEqual } from '../check.js';
import type { SoakContext } from '../soak-context.js';
import { notionalFor } from './sizes.js';
import type { ToolCheck } from './tool-check.js';

export const riskChecks: ToolCheck[] = [
  {
    tool: 'get_risk_limits',
    async run({ call, names }: SoakContext) {
      const limits = await call<ToolOutput<typeof getRiskLimits>>('get_risk_limits', { account: names.account });
      checkEqual([limits.account, limits.trading_state, limits.workflow_id], [names.account, 'ACTIVE', riskWorkflowId(names.account)], 'get_risk_limits (account, state, workflow)');
      for (const symbol of names.symbols) check(limits.limits.allowed_symbols.includes(symbol), `${symbol} is not allowed: ${limits.limits.allowed_symbols.join(', ')}`);
    },
  },
  {
    tool: 'pre_trade_risk_check',
    async run({ call, names, round }: SoakContext) {
      const checked = await call<ToolOutput<typeof preTradeRiskCheck>>('pre_trade_risk_check', {
        intent_id: `soak-${names.runTag}-${round}-dry`,
        intents: [{ symbol: names.symbols[0], side: 'buy', quote_notional: notionalFor('intent', round + 7) }],
        account: names.account,
      });
      const why = checked.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      checkEqual([checked.decision, checked.dry_run, checked.trading_state], ['approved', true, 'ACTIVE'], `pre_trade_risk_check (${why})`);
    },
  },
  {
    tool: 'set_trading_state',
    async run({ call, names, memory }: SoakContext) {
      const set = await call<ToolOutput<typeof setTradingState>>('set_trading_state', { state: 'REDUCING', reason: 'soak: tightened once, must stay so', account: names.tightenedAccount });
      checkEqual([set.trading_state, set.changed], ['REDUCING', !memory.tightened], 'set_trading_state (state, changed)');
      memory.tightened = true;
      const limits = await call<ToolOutput<typeof getRiskLimits>>('get_risk_limits', { account: names.tightenedAccount });
      checkEqual(limits.trading_state, 'REDUCING', 'the tightened account after its hand-overs');
    },
  },
  {
    tool: 'get_risk_report',
    async run({ call, names }: SoakContext) {
      const report = await call<ToolOutput<typeof getRiskReport>>('get_risk_report', { account: names.account });
      checkEqual([report.account, report.trading_state, report.risk_workflow_id], [names.account, 'ACTIVE', riskWorkflowId(names.account)], 'get_risk_report (account, state, workflow)');
      check(Number(report.equity) > 0, `get_risk_report equity ${report.equity}`);
    },
  },
];
