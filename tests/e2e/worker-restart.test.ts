/**
 * Durability across a worker crash, end to end: the real worker process and the agents server from
 * mcp.json. A next_prompt waiting inside the inbox when the worker is SIGKILLed still gets the
 * prompt that was sent while no worker ran, and nothing is delivered twice after the restart.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextPrompt, promptAgent } from '../../schemas/agents.js';
import { inboxWorkflowId } from '../../schemas/temporal/agents.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const CLAIM_WAIT_SEC = 40;
const workers: WorkerProcess[] = [];
let workerEnv: Record<string, string>;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

async function startWorker(): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(workerEnv);
  workers.push(worker);
  const line = await worker.ready;
  expect(line).toContain(`task queue ${workerEnv.TEMPORAL_TASK_QUEUE}`);
  return worker;
}

async function callTool(name: string, args: Record<string, unknown>): Promise<unknown> {
  const result = (await server.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent;
}

const promptAgentCall = async (args: Record<string, unknown>) => promptAgent.output.strict().parse(await callTool('prompt_agent', args));
const nextPromptCall = async (args: Record<string, unknown>) => nextPrompt.output.strict().parse(await callTool('next_prompt', args));

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('e2e-restart');
  workerEnv = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  temporal = await testClient();
  server = await connectServer('agents', workerEnv);
}, 240_000);

afterAll(async () => {
  await server?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await temporal?.close();
});

describe('worker killed while a next_prompt is waiting', () => {
  it('delivers what was sent while no worker ran, to the claim that waited through the crash, exactly once', { timeout: 300_000 }, async () => {
    const first = await startWorker();
    const reader = uniqueAgent('e2e-reader');
    const waiter = uniqueAgent('e2e-waiter');
    const m1 = { target: reader, message: 'first prompt', message_id: 'm1' };
    const m2 = { target: waiter, message: 'sent while the worker was down', message_id: 'm2' };

    expect(await promptAgentCall(m1)).toMatchObject({ status: 'delivered', duplicate: false, seq: 0 });

    // The claim must be inside the inbox (its acceptance recorded in history) before the crash. Its
    // wait has to outlast the crash window: prompt_agent's 10 s before it answers 'queued', then a
    // worker restart, which can take several seconds on a loaded machine.
    const waiting = nextPromptCall({ agent: waiter, wait_sec: CLAIM_WAIT_SEC });
    waiting.catch(() => undefined);
    const inbox = temporal.client.workflow.getHandle(inboxWorkflowId(waiter));
    await eventually(async () => {
      const history = await inbox.fetchHistory();
      expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(true);
    }, 60_000);
    const runBeforeCrash = (await inbox.describe()).runId;

    await first.kill();
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

    const queued = await promptAgentCall(m2);
    expect(queued).toMatchObject({ status: 'queued', duplicate: false, seq: null, message_id: 'm2' });

    await startWorker();
    const claimed = await waiting;
    expect(claimed.message).toMatchObject({ message_id: 'm2', text: m2.message, seq: 0 });
    expect(claimed.run_id).toBe(runBeforeCrash);

    const read = await nextPromptCall({ agent: reader, wait_sec: 0 });
    expect(read.message).toMatchObject({ message_id: 'm1', text: m1.message, seq: 0 });

    expect(await promptAgentCall(m1)).toMatchObject({ status: 'delivered', duplicate: true, seq: 0 });
    expect(await promptAgentCall(m2)).toMatchObject({ status: 'delivered', duplicate: true, seq: 0 });

    for (const agent of [reader, waiter]) {
      expect(await nextPromptCall({ agent, wait_sec: 1 })).toMatchObject({ agent, message: null, remaining: 0 });
    }
  });
});
