/**
 * Drives the agents workflows through a plain Temporal client exactly as the product does, through
 * the same clients: a delivery is started the way prompt_agent and the intent bus start it
 * (temporal/clients/prompt-delivery.ts), an enqueue is sent the way the delivery activity sends it
 * and a claim is the update-with-start next_prompt sends (temporal/clients/inbox.ts). Raw results
 * (rolled_over included) are returned so tests can assert on the protocol itself.
 */
import { WorkflowUpdateStage, type Client, type WorkflowHandle, type WorkflowUpdateHandle } from '@temporalio/client';
import { claimNextMessageUpdate, inboxWorkflowId, type ClaimResult, type EnqueueResult, type InboxStatus, type PromptDeliveryResult } from '../../schemas/temporal/agents.js';
import { claimNextMessage, enqueueMessage, inboxStart, readInboxStatus } from '../../temporal/clients/inbox.js';
import { startPromptDelivery, type StartedDelivery } from '../../temporal/clients/prompt-delivery.js';

export interface Prompt {
  target: string;
  message_id: string;
  text: string;
  from?: string;
}

export class InboxDriver {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /** Starts (or finds) the delivery workflow of a prompt, keyed by its message_id. */
  startDelivery(prompt: Prompt): Promise<StartedDelivery> {
    return startPromptDelivery(this.client, this.taskQueue, { ...prompt, from: prompt.from ?? null });
  }

  /** Delivers a prompt and waits for the delivery workflow's recorded result. */
  async deliver(prompt: Prompt): Promise<PromptDeliveryResult> {
    const { handle } = await this.startDelivery(prompt);
    return handle.result();
  }

  /** The enqueue update the delivery activity sends; a retried activity sends it again. */
  enqueue(prompt: Prompt): Promise<EnqueueResult> {
    return enqueueMessage(this.client, this.taskQueue, { ...prompt, from: prompt.from ?? null });
  }

  /** A claim as next_prompt sends it, answered once the inbox has handled it. */
  claim(agent: string, waitMs: number, updateId?: string): Promise<ClaimResult> {
    return claimNextMessage(this.client, this.taskQueue, agent, waitMs, updateId);
  }

  /**
   * A claim that has been accepted by the inbox (it is now waiting inside the workflow); its
   * result arrives later. Lets a test know a claim really is waiting before it sends anything.
   */
  async startWaitingClaim(agent: string, waitMs: number): Promise<WorkflowUpdateHandle<ClaimResult>> {
    return this.client.workflow.startUpdateWithStart(claimNextMessageUpdate, {
      args: [{ wait_ms: waitMs }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      startWorkflowOperation: await inboxStart(this.taskQueue, agent),
    });
  }

  /** Takes messages until the inbox answers null, asking again across a hand-over as next_prompt does. */
  async drain(agent: string): Promise<string[]> {
    const taken: string[] = [];
    for (;;) {
      const result = await this.claim(agent, 0);
      if (result.message) taken.push(result.message.message_id);
      else if (!result.rolled_over) return taken;
    }
  }

  inboxHandle(agent: string): WorkflowHandle {
    return this.client.workflow.getHandle(inboxWorkflowId(agent));
  }

  async status(agent: string): Promise<InboxStatus> {
    const status = await readInboxStatus(this.client, agent);
    if (!status) throw new Error(`no inbox for ${agent}`);
    return status;
  }
}

/** An agent name no other test (in this run or an earlier one on the same server) has used. */
export function uniqueAgent(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
