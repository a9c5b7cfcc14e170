import type { z } from 'zod';

/** The four MCP tool annotations, set honestly for every tool. */
export interface ToolAnnotations {
  /** The tool only reads state. */
  readOnlyHint: boolean;
  /** A mutating tool may undo or overwrite earlier effects. */
  destructiveHint: boolean;
  /** Calling again with the same arguments has no additional effect. */
  idempotentHint: boolean;
  /** The tool reaches beyond this system (a venue, a chain, a model). */
  openWorldHint: boolean;
}

export type ToolGroup = 'market' | 'risk' | 'execution' | 'ledger' | 'agents';
export const TOOL_GROUPS: readonly ToolGroup[] = ['market', 'risk', 'execution', 'ledger', 'agents'];

/**
 * One tool's contract: shared by the MCP server that exposes it and by the tests that pin it.
 * The zod schemas are the single source; the JSON Schema under schemas/json/ is generated from them.
 */
export interface ToolContract<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  group: ToolGroup;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
}

/**
 * What a tool answers (its structuredContent), typed from the contract: hosts and tests read
 * results through this instead of retyping them. `import type` the contract to use it, so a
 * host loads no zod.
 */
export type ToolOutput<C extends ToolContract> = z.output<C['output']>;

export function defineContract<I extends z.ZodObject, O extends z.ZodObject>(
  contract: ToolContract<I, O>,
): ToolContract<I, O> {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(contract.name)) {
    throw new Error(`tool name ${contract.name} must be a snake_case verb phrase`);
  }
  return contract;
}
