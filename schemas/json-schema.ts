/**
 * The JSON Schema form of a tool contract: exactly what tools/list serves and what the committed
 * files under schemas/json/ pin. Inputs are strict (an unknown field is an error, not ignored) so a
 * misspelt argument never silently falls back to a default.
 */
import { z } from 'zod';
import type { ToolAnnotations, ToolContract } from './contract.js';

export interface ToolJsonSchema {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: ToolAnnotations & { title: string };
}

export function strictInput(contract: ToolContract): z.ZodObject {
  return contract.input.strict();
}

export function toolJsonSchema(contract: ToolContract): ToolJsonSchema {
  return {
    name: contract.name,
    title: contract.title,
    description: contract.description,
    inputSchema: z.toJSONSchema(strictInput(contract), { io: 'input' }) as Record<string, unknown>,
    outputSchema: z.toJSONSchema(contract.output, { io: 'output' }) as Record<string, unknown>,
    annotations: { title: contract.title, ...contract.annotations },
  };
}
