/**
 * How contract tests call a spawned server's tools and judge the answers: a success must match
 * the zod output contract and carry the same JSON as text; a failure must be an isError whose text
 * starts with an error code and holds no stack frame.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';

export const STACK_FRAME = /\n\s*at |\.ts:\d+:\d+/;

export interface ToolCaller {
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  text(result: CallToolResult): string;
  succeed<T>(name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }): Promise<T>;
  fail(name: string, args: Record<string, unknown>): Promise<string>;
}

export interface ToolCallerOptions {
  timeoutMs?: number;
  /** Sees every result, e.g. to scan them all for a secret afterwards. */
  onResult?: (result: CallToolResult) => void;
}

export function toolCaller(client: () => Client, opts: ToolCallerOptions = {}): ToolCaller {
  const caller: ToolCaller = {
    async call(name, args) {
      const result = (await client().callTool({ name, arguments: args }, undefined, { timeout: opts.timeoutMs ?? 60_000 })) as CallToolResult;
      opts.onResult?.(result);
      return result;
    },
    text(result) {
      const [first] = result.content;
      if (first?.type !== 'text') throw new Error(`expected a text result, got ${JSON.stringify(result.content)}`);
      return first.text;
    },
    async succeed(name, args, output) {
      const result = await caller.call(name, args);
      expect(result.isError, result.isError ? caller.text(result) : '').toBeFalsy();
      const structured = output.strict().parse(result.structuredContent);
      expect(JSON.parse(caller.text(result))).toEqual(result.structuredContent);
      return structured;
    },
    async fail(name, args) {
      const result = await caller.call(name, args);
      expect(result.isError, `${name} ${JSON.stringify(args).slice(0, 200)} should fail`).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      const message = caller.text(result);
      expect(message).toMatch(/^[A-Z_]+: /);
      expect(message).not.toMatch(STACK_FRAME);
      return message;
    },
  };
  return caller;
}
