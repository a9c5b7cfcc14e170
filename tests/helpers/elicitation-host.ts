/**
 * A host that declares MCP elicitation and answers each `elicitation/create` the way a test tells
 * it to, the way a person at Claude Desktop or VS Code would: accept with the form filled in,
 * decline, or dismiss. Every request is kept, so a test can read what the person was shown.
 *
 * A loosening asks for a one-time code that only the operator's side can issue: a test plays the
 * operator with `issueLooseningCode` (temporal/clients/risk.ts, what `risk:operator -- loosen-code`
 * calls) and hands the code to the person with `confirmWithCode`. A host answering its own form has
 * no such code.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolGroup } from '../../schemas/contract.js';
import { mcpConfig, repoRoot, type ConnectedServer } from './mcp-servers.js';

export type PersonAnswer = (request: ElicitRequest['params']) => ElicitResult;

/** A person who confirms, gives their name and types the code the operator gave them (or none). */
export const confirmWithCode =
  (confirmedBy: string, code?: string): PersonAnswer =>
  () => ({ action: 'accept', content: { confirm: true, confirmed_by: confirmedBy, ...(code === undefined ? {} : { code }) } });

export interface ElicitingServer extends ConnectedServer {
  /** What the person was asked, oldest first. */
  asked: Array<ElicitRequest['params']>;
  /** How the person answers the next questions. */
  answerWith(answer: PersonAnswer): void;
}

export async function connectElicitingServer(group: ToolGroup, env: Record<string, string>): Promise<ElicitingServer> {
  const entry = mcpConfig()[group];
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, cwd: repoRoot, env: { ...entry.env, ...env }, stderr: 'pipe' });
  let log = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  const client = new Client({ name: `elicitation-host-${group}`, version: '0.0.0' }, { capabilities: { elicitation: {} } });
  const asked: Array<ElicitRequest['params']> = [];
  let answer: PersonAnswer = () => ({ action: 'cancel' });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    asked.push(request.params);
    return answer(request.params);
  });
  try {
    await client.connect(transport);
  } catch (err) {
    await transport.close();
    throw new Error(`${group} server did not complete the MCP handshake: ${String(err)}\nstderr:\n${log}`);
  }
  return {
    client,
    transport,
    stderr: () => log,
    close: () => client.close(),
    asked,
    answerWith(next) {
      answer = next;
    },
  };
}
