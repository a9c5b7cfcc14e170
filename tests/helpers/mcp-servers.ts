/**
 * Launches the MCP servers exactly as a host does: the command and arguments from mcp.json, run
 * from the repository root, through the MCP SDK's own Client and StdioClientTransport.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { TOOL_GROUPS, type ToolGroup } from '../../schemas/contract.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface McpServerEntry {
  command: string;
  args: string[];
  /** Environment the host adds for this server; a test's own settings go on top. */
  env?: Record<string, string>;
}

/** The server names mcp.json declares, in file order. */
export function mcpServerNames(): string[] {
  return Object.keys(readMcpServers());
}

function readMcpServers(): Record<string, McpServerEntry> {
  const parsed = JSON.parse(readFileSync(resolve(repoRoot, 'mcp.json'), 'utf8')) as { mcpServers?: Record<string, McpServerEntry> };
  return parsed.mcpServers ?? {};
}

/** The host configuration as committed; fails loudly if an entry is missing or malformed. */
export function mcpConfig(): Record<ToolGroup, McpServerEntry> {
  const servers = readMcpServers();
  const entries = {} as Record<ToolGroup, McpServerEntry>;
  for (const group of TOOL_GROUPS) {
    const entry = servers[group];
    if (!entry || typeof entry.command !== 'string' || !Array.isArray(entry.args)) {
      throw new Error(`mcp.json has no usable mcpServers.${group} entry (command + args)`);
    }
    entries[group] = entry;
  }
  return entries;
}

export interface ConnectedServer {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far (its log), for failure messages. */
  stderr(): string;
  close(): Promise<void>;
}

/** Spawns one group's server from mcp.json and completes the MCP handshake with it. */
export async function connectServer(group: ToolGroup, env: Record<string, string>): Promise<ConnectedServer> {
  const entry = mcpConfig()[group];
  const transport = new StdioClientTransport({
    command: entry.command,
    args: entry.args,
    cwd: repoRoot,
    env: { ...entry.env, ...env },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const client = new Client({ name: `contract-test-${group}`, version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    await transport.close();
    throw new Error(`${group} server did not complete the MCP handshake: ${String(err)}\nstderr:\n${log}`);
  }
  return { client, transport, stderr: () => log, close: () => client.close() };
}
