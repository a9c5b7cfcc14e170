/**
 * The ledger server's tools: every fill the driver saw is in the journal once, the portfolio's
 * positions are the sum of those fills, performance reads, and the round's intent has a complete
 * audit trail from intent to fill.
 */
import type { ToolOutput } from '../../../schemas/contract.js';
import type { getFills, getPerformance, getPortfolioStatus } from '../../../schemas/ledger.js';
import type { getAuditTrail } from '../../../schemas/ledger-audit.js';
import { check, checkEqual, within } from '../check.js';
import type { SoakContext } from '../soak-context.js';
import type { ToolCheck } from './tool-check.js';

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

export const ledgerChecks: ToolCheck[] = [
  {
    tool: 'get_fills',
    async run({ call, names, memory }: SoakContext) {
      const read = await call<ToolOutput<typeof getFills>>('get_fills', { account: names.account, limit: 1000 });
      checkEqual(read.account, names.account, 'get_fills account');
      check(new Set(read.fills.map((f) => f.fill_id)).size === read.fills.length, 'get_fills lists a fill twice');
      const journal = new Set(read.fills.map((f) => f.client_order_id));
      const missing = [...memory.filled.keys()].filter((id) => !journal.has(id));
      // The journal keeps the newest fills: only the retained ones can be asked for.
      check(read.fill_count > read.fills.length || missing.length === 0, `get_fills lacks fills of ${missing.join(', ')}`);
    },
  },
  {
    tool: 'get_portfolio_status',
    async run({ call, names, memory }: SoakContext) {
      const portfolio = await call<ToolOutput<typeof getPortfolioStatus>>('get_portfolio_status', { account: names.account });
      checkEqual(portfolio.account, names.account, 'get_portfolio_status account');
      check(portfolio.fill_count >= memory.filled.size, `the portfolio counts ${portfolio.fill_count} fills, the driver saw ${memory.filled.size} orders fill`);
      for (const symbol of names.symbols) {
        const expected = [...memory.filled.values()].filter((f) => f.symbol === symbol).reduce((sum, f) => sum + f.signedQty, 0);
        const held = Number(portfolio.positions.find((p) => p.symbol === symbol)?.qty ?? '0');
        check(close(held, expected), `${symbol}: the portfolio holds ${held}, the fills add up to ${expected}`);
      }
    },
  },
  {
    tool: 'get_performance',
    async run({ call, names }: SoakContext) {
      const performance = await call<ToolOutput<typeof getPerformance>>('get_performance', { account: names.account, window: '24h' });
      checkEqual([performance.account, performance.window], [names.account, '24h'], 'get_performance (account, window)');
      check(Number(performance.end_equity) > 0, `get_performance end_equity ${performance.end_equity}`);
    },
  },
  {
    tool: 'get_audit_trail',
    async run(ctx: SoakContext) {
      // The driver's intent: every step from its prompt to its fill; only a nudge is missing (it came from prompt_agent).
      const intentId = `soak-${ctx.names.runTag}-${ctx.round}-i`;
      await within(20_000, async () => {
        const trail = await ctx.call<ToolOutput<typeof getAuditTrail>>('get_audit_trail', { intent_id: intentId });
        const steps = new Set<string>(trail.steps.map((s) => s.step));
        for (const step of ['prompt', 'intent', 'risk_decision', 'order', 'fill']) check(steps.has(step), `the audit trail of ${intentId} has no ${step} step`);
        const otherGaps = trail.missing.filter((m) => !/not by a nudge/.test(m));
        check(otherGaps.length === 0, `the audit trail of ${intentId} lacks ${otherGaps.join('; ')}`);
      }, 1_000);
      // The ensemble's newest fill: complete, back to the nudge behind it.
      const fills = await ctx.call<ToolOutput<typeof getFills>>('get_fills', { account: ctx.names.ensembleAccount, limit: 1 });
      const newest = fills.fills[fills.fills.length - 1];
      if (!newest) return;
      await within(20_000, async () => {
        const trail = await ctx.call<ToolOutput<typeof getAuditTrail>>('get_audit_trail', { client_order_id: newest.client_order_id });
        check(trail.complete, `the audit trail of the ensemble's ${newest.client_order_id} is incomplete: ${trail.missing.join('; ')}`);
        checkEqual(trail.steps.map((s) => s.step).slice(0, 5), ['nudge', 'prompt', 'intent', 'risk_decision', 'order'], `the first steps of ${newest.client_order_id}'s trail`);
      }, 1_000);
    },
  },
];
