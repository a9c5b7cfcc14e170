/**
 * The agent inbox and prompt delivery workflows on a real Temporal dev server with a real worker:
 * order, exactly-once hand-out, de-duplication, continue-as-new carrying state, backpressure.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_FULL, inboxWorkflowId, promptDeliveryWorkflowId } from '../../schemas/temporal/agents.js';
import { failureType } from '../../schemas/temporal/failure-type.js';
import { InboxDriver, uniqueAgent } from '../helpers/inbox-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { eventually } from '../helpers/eventually.js';

let connection: Awaited<ReturnType<typeof testClient>>;
const workers: RunningWorker[] = [];

/** A worker on a queue of its own, with the given inbox settings, and a driver for that queue. */
async function driverWithWorker(prefix: string, env: Record<string, string> = {}): Promise<InboxDriver> {
  const taskQueue = uniqueTaskQueue(prefix);
  workers.push(await startTestWorker(taskQueue, env));
  return new InboxDriver(connection.client, taskQueue);
}

beforeAll(async () => {
  connection = await testClient();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
});

describe('agent inbox with default limits', () => {
  let driver: InboxDriver;
  beforeAll(async () => {
    driver = await driverWithWorker('inbox');
  });

  it('hands messages out in the order they were delivered, with everything the sender gave', async () => {
    const agent = uniqueAgent('fifo');
    const ids = ['m0', 'm1', 'm2', 'm3', 'm4'];
    for (const [i, id] of ids.entries()) {
      const delivered = await driver.deliver({ target: agent, message_id: id, text: `prompt ${i}`, from: 'broker' });
      expect(delivered).toMatchObject({ message_id: id, target: agent, seq: i, duplicate: false, inbox_workflow_id: inboxWorkflowId(agent) });
    }
    for (const [i, id] of ids.entries()) {
      const claim = await driver.claim(agent, 0);
      expect(claim.rolled_over).toBe(false);
      expect(claim.remaining).toBe(ids.length - 1 - i);
      expect(claim.message).toMatchObject({
        message_id: id,
        seq: i,
        from: 'broker',
        text: `prompt ${i}`,
        prompt_workflow_id: promptDeliveryWorkflowId(agent, id),
      });
      expect(Number.isNaN(Date.parse(claim.message?.enqueued_at ?? ''))).toBe(false);
    }
    expect(await driver.claim(agent, 0)).toEqual({ message: null, remaining: 0, rolled_over: false, run_id: expect.any(String) });
    expect(await driver.status(agent)).toMatchObject({ agent, depth: 0, next_seq: ids.length, delivered: ids.length });
  });

  it('delivers the same message_id once, whether the delivery or its enqueue is repeated', async () => {
    const agent = uniqueAgent('dup');
    const prompt = { target: agent, message_id: 'once', text: 'only once' };
    const first = await driver.startDelivery(prompt);
    const again = await driver.startDelivery(prompt);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.runId).toBe(first.runId);
    const [firstResult, againResult] = await Promise.all([first.handle.result(), again.handle.result()]);
    expect(againResult).toEqual(firstResult);

    // A delivery activity retried after a lost response sends the same enqueue again.
    expect(await driver.enqueue(prompt)).toEqual({ seq: 0, duplicate: true });
    expect(await driver.drain(agent)).toEqual(['once']);
  });

  it('hands each message to exactly one of two claims waiting on an empty inbox', async () => {
    const agent = uniqueAgent('race');
    const waiting = await Promise.all([driver.startWaitingClaim(agent, 40_000), driver.startWaitingClaim(agent, 40_000)]);
    await Promise.all([
      driver.deliver({ target: agent, message_id: 'a', text: 'first' }),
      driver.deliver({ target: agent, message_id: 'b', text: 'second' }),
    ]);
    const results = await Promise.all(waiting.map((h) => h.result()));
    const taken = results.map((r) => r.message?.message_id);
    expect(taken.sort()).toEqual(['a', 'b']);
    expect(await driver.claim(agent, 0)).toMatchObject({ message: null, remaining: 0 });
    expect(await driver.status(agent)).toMatchObject({ depth: 0, next_seq: 2, delivered: 2 });
  });

  it('answers a claim with null when nothing arrives while it waits', async () => {
    const agent = uniqueAgent('idle');
    expect(await driver.claim(agent, 1_500)).toEqual({ message: null, remaining: 0, rolled_over: false, run_id: expect.any(String) });
    expect(await driver.status(agent)).toMatchObject({ depth: 0, next_seq: 0, delivered: 0 });
  });

  it('answers a repeated claim id with the same message instead of taking another', async () => {
    const agent = uniqueAgent('claimid');
    await driver.deliver({ target: agent, message_id: 'x', text: 'x' });
    await driver.deliver({ target: agent, message_id: 'y', text: 'y' });
    const first = await driver.claim(agent, 0, 'claim:retry-1');
    const repeated = await driver.claim(agent, 0, 'claim:retry-1');
    expect(first.message?.message_id).toBe('x');
    expect(repeated).toEqual(first);
    expect(await driver.drain(agent)).toEqual(['y']);
  });
});

describe('agent inbox continuing as new (INBOX_CONTINUE_AS_NEW_AFTER=3)', () => {
  let driver: InboxDriver;
  beforeAll(async () => {
    driver = await driverWithWorker('inbox-can', { INBOX_CONTINUE_AS_NEW_AFTER: '3' });
  });

  it('carries undelivered messages and the dedupe memory into the next run', async () => {
    const agent = uniqueAgent('can');
    const inbox = driver.inboxHandle(agent);
    await driver.deliver({ target: agent, message_id: 'c1', text: 'one' });
    await driver.deliver({ target: agent, message_id: 'c2', text: 'two' });
    const firstRunId = (await inbox.describe()).runId;

    // The third message handled reaches the bound: the run hands over to a new one.
    await driver.deliver({ target: agent, message_id: 'c3', text: 'three' });
    const secondRunId = await eventually(async () => {
      const { runId, status } = await inbox.describe();
      expect(runId).not.toBe(firstRunId);
      expect(status.name).toBe('RUNNING');
      return runId;
    });
    const firstRun = await connection.client.workflow.getHandle(inboxWorkflowId(agent), firstRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    expect(await driver.status(agent)).toMatchObject({ depth: 3, next_seq: 3, delivered: 0 });

    // Ids enqueued by the previous run are still refused: by the delivery workflow id and by the inbox itself.
    expect((await driver.startDelivery({ target: agent, message_id: 'c2', text: 'two' })).duplicate).toBe(true);
    expect(await driver.enqueue({ target: agent, message_id: 'c2', text: 'two' })).toEqual({ seq: 1, duplicate: true });
    expect((await inbox.describe()).runId).toBe(secondRunId);

    // Draining hands over at least once more; each message still comes out once, in order.
    expect(await driver.drain(agent)).toEqual(['c1', 'c2', 'c3']);
    expect((await inbox.describe()).runId).not.toBe(secondRunId);
    expect(await driver.enqueue({ target: agent, message_id: 'c1', text: 'one' })).toEqual({ seq: 0, duplicate: true });
    expect(await driver.claim(agent, 0)).toMatchObject({ message: null, remaining: 0 });
    expect(await driver.status(agent)).toMatchObject({ depth: 0, next_seq: 3, delivered: 3 });
  });
});

describe('agent inbox at capacity (INBOX_MAX_MESSAGES=2)', () => {
  let driver: InboxDriver;
  beforeAll(async () => {
    driver = await driverWithWorker('inbox-full', { INBOX_MAX_MESSAGES: '2' });
  });

  it('fails the third delivery with InboxFull and applies nothing of it', async () => {
    const agent = uniqueAgent('full');
    await driver.deliver({ target: agent, message_id: 'f1', text: 'one' });
    await driver.deliver({ target: agent, message_id: 'f2', text: 'two' });

    const third = await driver.startDelivery({ target: agent, message_id: 'f3', text: 'three' });
    const failure = await third.handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failureType(failure)).toBe(INBOX_FULL);
    expect(collectMessages(failure)).toContain(`${agent}'s inbox holds 2 undelivered messages (limit 2)`);

    expect(await driver.status(agent)).toMatchObject({ depth: 2, next_seq: 2, delivered: 0 });
    expect(await driver.drain(agent)).toEqual(['f1', 'f2']);
    // The refused id was not remembered as seen: once there is room it is a new message with the next seq.
    expect(await driver.enqueue({ target: agent, message_id: 'f3', text: 'three' })).toEqual({ seq: 2, duplicate: false });
    expect(await driver.drain(agent)).toEqual(['f3']);
  });
});

/** Every message along a failure's cause chain, joined (Temporal wraps the activity's failure). */
function collectMessages(err: unknown): string {
  const messages: string[] = [];
  for (let current = err as { message?: string; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (current.message) messages.push(current.message);
  }
  return messages.join(' | ');
}
