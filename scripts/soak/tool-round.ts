/**
 * One round of the soak's driver: every tool of every server, each through its check, in an
 * order where each check finds what it needs (a quote before a resting order, a subscription
 * before an intent). A failed check is recorded with the tool's name and the round goes on, so
 * one broken tool never hides another.
 */
import type { McpHost } from '../../agents/host/mcp-host.js';
import { agentsChecks } from './checks/agents-checks.js';
import { executionChecks } from './checks/execution-checks.js';
import { ledgerChecks } from './checks/ledger-checks.js';
import { marketChecks } from './checks/market-checks.js';
import { riskChecks } from './checks/risk-checks.js';
import type { ToolCheck } from './checks/tool-check.js';
import type { LatencyBook } from './latency.js';
import { freshMemory, timedCaller, type SoakContext, type SoakNames } from './soak-context.js';

export const TOOL_CHECKS: readonly ToolCheck[] = [...marketChecks, ...agentsChecks, ...riskChecks, ...executionChecks, ...ledgerChecks];

export interface RoundFailure {
  round: number;
  tool: string;
  error: string;
}

export class ToolRounds {
  private readonly ctx: SoakContext;

  constructor(host: McpHost, names: SoakNames, latencies: LatencyBook) {
    const checked = new Set(TOOL_CHECKS.map((c) => c.tool));
    const unchecked = host.tools().map((t) => t.tool.name).filter((name) => !checked.has(name));
    if (unchecked.length) throw new Error(`the soak has no check for ${unchecked.join(', ')}: add one in scripts/soak/checks/`);
    this.ctx = { names, memory: freshMemory(), round: 0, call: timedCaller(host, latencies) };
  }

  get rounds(): number {
    return this.ctx.round;
  }

  /** Runs the next round; the failures it found (none when every tool answered as it should). */
  async run(): Promise<RoundFailure[]> {
    this.ctx.round += 1;
    const failures: RoundFailure[] = [];
    for (const check of TOOL_CHECKS) {
      try {
        await check.run(this.ctx);
      } catch (err) {
        failures.push({ round: this.ctx.round, tool: check.tool, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return failures;
  }
}
