/**
 * The one way to define a tool: its contract from schemas/ plus a handler. The handler receives
 * parsed input and returns data matching the output schema; the kit does the rest.
 */
import type { z } from 'zod';
import type { ToolContract } from '../../schemas/contract.js';
import type { LazyTemporal } from './temporal-client.js';

export interface ToolContext {
  temporal: LazyTemporal;
  /** Aborted when the host cancels the call or the server shuts down. */
  signal: AbortSignal;
}

export interface ToolDefinition<C extends ToolContract = ToolContract> {
  contract: C;
  handler(input: z.output<C['input']>, ctx: ToolContext): Promise<z.input<C['output']>>;
}

export function defineTool<C extends ToolContract>(
  contract: C,
  handler: ToolDefinition<C>['handler'],
): ToolDefinition<C> {
  return { contract, handler };
}
