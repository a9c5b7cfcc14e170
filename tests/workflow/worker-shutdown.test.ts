/**
 * A worker shuts down even while one of its activities waits on a workflow nobody will run: the
 * prompt delivery's activity sends its message to an inbox that lives on a task queue with no
 * worker, so the update can never be answered. Shutting the worker down cancels the activity, and
 * the cancellation reaches the Temporal call it is waiting in, so the shutdown ends instead of
 * waiting on the update for ever. The delivery itself is not lost: it goes on durably and lands
 * once a worker serves the inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_INBOX_WORKFLOW, inboxWorkflowId } from '../../schemas/temporal/agents.js';
import { readInboxStatus } from '../../temporal/clients/inbox.js';
import { startPromptDelivery } from '../../temporal/clients/prompt-delivery.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

/** Far longer than the worker's 1 s shutdown grace: a shutdown still waiting then is waiting for ever. */
const SHUTDOWN_BOUND_MS = 30_000;

let connection: Awaited<ReturnType<typeof testClient>>;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  connection = await testClient();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
});

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

describe('worker shutdown', () => {
  it('ends while an activity waits on a workflow no worker serves, and the delivery lands later', async () => {
    const { client } = connection;
    const agent = uniqueAgent('stranded');
    const live = uniqueTaskQueue('shutdown-live');
    const orphan = uniqueTaskQueue('shutdown-orphan');
    // The agent's inbox runs on a queue nobody polls (yet).
    await client.workflow.start(AGENT_INBOX_WORKFLOW, { workflowId: inboxWorkflowId(agent), taskQueue: orphan, args: [{ agent }] });

    const worker = await startTestWorker(live);
    const delivery = await startPromptDelivery(client, live, { target: agent, message_id: 'stranded-1', from: null, text: 'hello' });
    // The delivery's activity is under way: it has sent its update to the unserved inbox.
    await eventually(async () => {
      const pending = (await delivery.handle.describe()).raw.pendingActivities ?? [];
      expect(pending.map((a) => a.activityType?.name)).toEqual(['deliverToInbox']);
    });

    expect(await settlesWithin(worker.stop(), SHUTDOWN_BOUND_MS)).toBe(true);

    // Nothing was lost: once both queues are served, the message is in the inbox exactly once.
    workers.push(await startTestWorker(live), await startTestWorker(orphan));
    const result = await delivery.handle.result();
    // The cancelled attempt's message may have landed too: the inbox keeps one, by message_id.
    expect(result).toMatchObject({ message_id: 'stranded-1', target: agent });
    const status = await eventually(async () => {
      const s = await readInboxStatus(client, agent);
      expect(s?.depth).toBe(1);
      return s;
    });
    expect(status).toMatchObject({ depth: 1 });
  });
});
