/**
 * The figures of a chaos run, as `npm run chaos` prints them and the test reports them on failure:
 * what was done, how the answers went (latency percentiles, calls over the bound, raw errors by
 * text, refusals by code), what the checks found, and one PASS or FAIL line.
 */
import { rawErrorKey, type CallRecord } from './call-record.js';
import { ANSWER_BOUND_MS } from './answer-check.js';
import type { ChaosChecks } from './checks.js';
import type { ChaosRun } from './chaos-run.js';
import { recoveryAfterKills } from './recovery.js';

/** Violations printed per check; the counts always cover them all. */
const SHOWN_PER_CHECK = 10;

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (x: number): string => (Number.isNaN(x) ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

function countBy(calls: CallRecord[], key: (c: CallRecord) => string | undefined): string[] {
  const counts = new Map<string, number>();
  for (const c of calls) {
    const k = key(c);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${String(n).padStart(6)}  ${k}`);
}

function section(title: string, lines: string[]): string[] {
  return [`${title}:`, ...(lines.length ? lines.map((l) => `  ${l}`) : ['  none'])];
}

function violations(title: string, list: string[]): string[] {
  const shown = list.slice(0, SHOWN_PER_CHECK);
  const more = list.length > shown.length ? [`… and ${list.length - shown.length} more`] : [];
  return section(`${title} (${list.length})`, [...shown, ...more]);
}

/** The part of a replay failure that says what differed (the SDK wraps it in a long preamble). */
function replayCause(error: string): string {
  const [cause = error, digest] = error.split('\nits history:\n');
  const inner = /message: "([^"]*)"/.exec(cause)?.[1];
  // The run's events follow, indented, so the path to the failure survives the machine it ran on.
  return `${(inner ?? cause).slice(0, 400)}${digest ? `\n      ${digest.split('\n').join('\n      ')}` : ''}`;
}

export function chaosSummary(run: ChaosRun, checks: ChaosChecks): string {
  const calls = [...run.calls, ...run.lateCalls];
  const latencies = calls.map((c) => c.latencyMs).sort((a, b) => a - b);
  const hot = run.plan.filter((o) => o.hot).length;
  const recovery = recoveryAfterKills(run.killTimes, [...run.finals.values()].flatMap((f) => (f.order ? [f.order] : [])));
  const lines = [
    `orders: ${run.plan.length} (${hot} in one burst on the hot account)`,
    `submissions: ${calls.length} (${run.lateCalls.length} after settling)`,
    `worker kills: ${run.workerKills} (SIGKILL); worker exits nobody asked for: ${run.unexpectedWorkerExits.length}`,
    `deciding again after a worker SIGKILL (kill to the next order decided, over ${recovery.delaysMs.length} kills with orders waiting): ` +
      `p50 ${ms(percentile(recovery.delaysMs, 50))}, max ${ms(recovery.delaysMs.at(-1) ?? Number.NaN)}${recovery.neverDecided ? `; ${recovery.neverDecided} kills with nothing decided after them` : ''}`,
    `Temporal restarts: ${run.temporalRestarts.length}${run.temporalRestarts.length ? ` (${run.temporalRestarts.join('; ')})` : ''}`,
    `fills: ${checks.fills}`,
    `answer latency: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`,
    `calls over the ${ANSWER_BOUND_MS / 1000} s bound: ${checks.answers.overBound.length}`,
    ...section('final order states', countBy([...run.finals.values()].map((f) => ({ status: f.order?.status ?? 'unread' }) as CallRecord), (c) => c.status)),
    ...section('answers by status', countBy(calls, (c) => (c.outcome === 'order' ? `${c.status}${c.duplicate ? ' (duplicate)' : ''}` : c.outcome))),
    ...section('raw errors by text', countBy(checks.answers.raw, (c) => rawErrorKey(c.text ?? ''))),
    ...section('rejections by code', countBy(calls, (c) => (c.outcome === 'order' && c.status === 'rejected' ? `order ${c.code}` : c.outcome === 'refusal' ? `refusal ${c.code}` : undefined))),
    ...section('rejection and refusal texts', countBy(calls, (c) => (c.code && c.outcome !== 'raw_error' ? (c.text?.startsWith(`${c.code}:`) ? rawErrorKey(c.text) : `${c.code}: ${rawErrorKey(c.text ?? '')}`) : undefined))),
    `histories replayed: ${checks.replayed} (${checks.replayFailures.length} determinism errors)`,
    ...violations('orders not terminal', checks.terminal),
    ...violations('orders the gate never decided', checks.undecided),
    ...violations('money violations', checks.money),
    ...violations('replay failures', checks.replayFailures.map((f) => `${f.workflowType ?? ''} ${f.workflowId}: ${replayCause(f.error)}`)),
    ...violations('answer violations', checks.answers.violations),
    ...(run.unexpectedWorkerExits.length ? violations('worker exits nobody asked for (restarted)', run.unexpectedWorkerExits) : []),
    `duration: ${(run.durationMs / 1000).toFixed(1)} s`,
    checks.passed ? 'PASS' : 'FAIL',
  ];
  return lines.join('\n');
}
