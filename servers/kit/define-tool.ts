/**
 * The one way to define a tool: its contract from schemas/ plus a handler. The handler receives
 * input already parsed by the contract and returns data matching the output schema; the kit
 * validates both sides, maps errors and speaks MCP.
 */
import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ToolContract } from '../../schemas/contract.js';
import type { LazyTemporal } from '../../temporal/lazy-client.js';

export interface ToolContext {
  temporal: LazyTemporal;
  /** Aborted when the host cancels the call or the server shuts down. */
  signal: AbortSignal;
  /**
   * Asks the person at the host to fill in a form (MCP elicitation). Present only when the host
   * declared the elicitation capability, so a tool that needs a person's word can tell whether it
   * can get one.
   */
  elicit?: (request: ElicitRequestFormParams) => Promise<ElicitResult>;
}

/** A tool with its types erased, so tools of different contracts share one list. */
export interface ToolDefinition {
  contract: ToolContract;
  run(input: unknown, ctx: ToolContext): Promise<unknown>;
}

export function defineTool<C extends ToolContract>(
  contract: C,
  handler: (input: z.output<C['input']>, ctx: ToolContext) => Promise<z.input<C['output']>>,
): ToolDefinition {
  // The kit parses input with this same contract before calling run, so the cast is sound.
  return { contract, run: (input, ctx) => handler(input as z.output<C['input']>, ctx) };
}
