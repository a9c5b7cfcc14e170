/**
 * What the soak's tool checks share: the host to call through (each call timed), the stack's
 * names (exchange, streamed pairs, the ensemble agent), the driver's own accounts and agents, and
 * what earlier rounds learned, so each round checks that nothing was lost across hand-overs.
 */
import { ToolCallError, type McpHost } from '../../agents/host/mcp-host.js';
import type { LatencyBook } from './latency.js';

export interface SoakNames {
  exchange: string;
  /** The pairs the broker selected for the ensemble (their stream must keep running). */
  symbols: string[];
  /** A pair the driver streams and stops every round (stop_market_stream). */
  extraSymbol: string;
  /** The ensemble agent whose nudge schedule and selection must stay intact. */
  agent: string;
  nudgeIntervalSec: number;
  /** The account the ensemble trades in. */
  ensembleAccount: string;
  /** The driver's account for orders and intents. */
  account: string;
  /** An account the driver only tightens (set_trading_state), so the trading one stays ACTIVE. */
  tightenedAccount: string;
  /** The agent the driver prompts and talks with (inbox, conversation). */
  talker: string;
  /** An agent subscribed to the intent bus for the whole run. */
  listener: string;
  /** An agent subscribed and unsubscribed every round. */
  churner: string;
  chainId: number;
  recipient: string;
  /** Unique per run, for order, intent and transaction ids. */
  runTag: string;
}

/** What the rounds so far established. */
export interface SoakMemory {
  newestTs: Record<string, number>;
  quotes: Record<string, { bid: number; ask: number }>;
  lastPromptSeq: number;
  conversation: Array<{ role: string; content: string }>;
  lastBusSeq: number;
  /** Inbox message ids the listener has read: each intent is delivered once. */
  listenerMessages: Set<string>;
  lastNudges: number;
  /** Orders of the driver's account that filled, with the signed quantity. */
  filled: Map<string, { symbol: string; signedQty: number }>;
  lastTxHash: string | undefined;
  txCount: number;
  /** The tightened account was set REDUCING once; every later call finds it so. */
  tightened: boolean;
  /** When the driver started: the first nudge may take up to an interval to come. */
  startedAt: number;
}

export function freshMemory(): SoakMemory {
  return { newestTs: {}, quotes: {}, lastPromptSeq: -1, conversation: [], lastBusSeq: 0, listenerMessages: new Set(), lastNudges: -1, filled: new Map(), lastTxHash: undefined, txCount: 0, tightened: false, startedAt: Date.now() };
}

export interface SoakContext {
  names: SoakNames;
  memory: SoakMemory;
  /** Counts from 1. */
  round: number;
  /** Calls a tool through the host and records its latency; an isError answer throws ToolCallError. */
  call<T = Record<string, unknown>>(tool: string, args: Record<string, unknown>, timeoutMs?: number): Promise<T>;
}

export function timedCaller(host: McpHost, latencies: LatencyBook): SoakContext['call'] {
  return async <T>(tool: string, args: Record<string, unknown>, timeoutMs?: number): Promise<T> => {
    const started = performance.now();
    try {
      return await host.call<T>(tool, args, timeoutMs ? { timeoutMs } : {});
    } finally {
      latencies.record(tool, performance.now() - started);
    }
  };
}

export { ToolCallError };
