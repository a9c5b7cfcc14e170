/**
 * A scripted MCP host: launches the five servers exactly as mcp.json says, over stdio, and calls
 * their tools. Every scripted agent (broker, ensemble, LLM host) is one of these, so they exercise
 * the same path Claude Desktop or VS Code does.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Model API keys belong to the host alone: the servers never need them, so they never see them. */
const HOST_ONLY_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];

function serverEnvironment(...layers: Array<Record<string, string | undefined>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const layer of layers) for (const [k, v] of Object.entries(layer)) if (v !== undefined) merged[k] = v;
  for (const name of HOST_ONLY_VARIABLES) delete merged[name];
  return merged;
}

interface ServerLaunch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** A tool answered isError: its text says what was wrong and what to do. */
export class ToolCallError extends Error {
  constructor(
    readonly tool: string,
    readonly text: string,
  ) {
    super(`${tool}: ${text}`);
  }
}

/** The parts of a tools/call result a host reads. */
export interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export function resultText(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

export interface HostedTool {
  server: string;
  tool: Tool;
}

export class McpHost {
  private readonly clients = new Map<string, Client>();
  private readonly toolIndex = new Map<string, HostedTool>();

  private constructor(private readonly name: string) {}

  /** Launches the servers named in mcp.json (all by default) with the given extra environment. */
  static async launch(opts: { name: string; env?: Record<string, string>; servers?: string[]; configPath?: string }): Promise<McpHost> {
    const host = new McpHost(opts.name);
    const config = JSON.parse(readFileSync(opts.configPath ?? join(repoRoot, 'mcp.json'), 'utf8')) as {
      mcpServers: Record<string, ServerLaunch>;
    };
    const names = opts.servers ?? Object.keys(config.mcpServers);
    try {
      await Promise.all(names.map((server) => host.connect(server, config.mcpServers[server], opts.env ?? {})));
    } catch (err) {
      await host.close();
      throw err;
    }
    return host;
  }

  private async connect(server: string, launch: ServerLaunch | undefined, env: Record<string, string>): Promise<void> {
    if (!launch) throw new Error(`mcp.json has no server named ${server}`);
    const client = new Client({ name: `${this.name}`, version: '0.1.0' });
    const transport = new StdioClientTransport({
      command: launch.command,
      args: launch.args,
      cwd: repoRoot,
      env: serverEnvironment(process.env, launch.env ?? {}, env),
      stderr: 'inherit',
    });
    await client.connect(transport);
    this.clients.set(server, client);
    for (const tool of (await client.listTools()).tools) this.toolIndex.set(tool.name, { server, tool });
  }

  /** Every tool of every launched server, with the server that serves it. */
  tools(): HostedTool[] {
    return [...this.toolIndex.values()];
  }

  /** Calls a tool by name and returns its structuredContent; an isError answer throws ToolCallError. */
  async call<T = Record<string, unknown>>(tool: string, args: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<T> {
    const result = await this.callRaw(tool, args, opts);
    const text = resultText(result);
    if (result.isError) throw new ToolCallError(tool, text);
    return (result.structuredContent ?? JSON.parse(text)) as T;
  }

  /** The raw MCP result, for hosts (like the LLM host) that pass errors back to a model. */
  async callRaw(tool: string, args: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<ToolResult> {
    const hosted = this.toolIndex.get(tool);
    if (!hosted) throw new ToolCallError(tool, `no launched server has a tool named ${tool}`);
    const client = this.clients.get(hosted.server) as Client;
    const result = await client.callTool({ name: tool, arguments: args }, undefined, { timeout: opts.timeoutMs ?? 120_000 });
    return result as ToolResult;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
    this.clients.clear();
  }
}
