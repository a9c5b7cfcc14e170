/**
 * One MCP server of the stack, launched as mcp.json says and driven through the MCP SDK's own
 * Client over stdio: exactly what a host sees, answers and errors alike.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ToolGroup } from '../../schemas/contract.js';
import { repoRoot } from '../stack/paths.js';

export interface ChaosServer {
  group: ToolGroup;
  client: Client;
  /** What the server wrote to stderr, for failure messages. */
  stderr(): string;
  close(): Promise<void>;
}

interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export async function connectChaosServer(group: ToolGroup, env: Record<string, string>): Promise<ChaosServer> {
  const config = JSON.parse(readFileSync(join(repoRoot, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, Launch> };
  const launch = config.mcpServers[group];
  if (!launch) throw new Error(`mcp.json has no mcpServers.${group} entry`);
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...launch.env, ...env },
    stderr: 'pipe',
  });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    // Only the tail matters for a failure message; a long run must not grow without bound.
    log = (log + chunk.toString('utf8')).slice(-20_000);
  });
  const client = new Client({ name: `chaos-${group}`, version: '0.0.0' });
  try {
    await client.connect(transport);
  } catch (err) {
    await transport.close();
    throw new Error(`the ${group} server did not complete the MCP handshake: ${String(err)}\nstderr:\n${log}`);
  }
  return { group, client, stderr: () => log, close: () => client.close() };
}
