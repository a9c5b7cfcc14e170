/**
 * Drives the agents workflows through a plain Temporal client exactly as the product does:
 * a delivery is started the way prompt_agent starts it (servers/agents/tools/prompt-agent.ts),
 * an enqueue is sent the way the delivery activity sends it (worker/activities/agents), and a
 * claim is the update-with-start that next_prompt sends (servers/agents/tools/next-prompt.ts).
 * Raw results (rolled_over included) are returned so tests can assert on the protocol itself.
 */
import {
  WithStartWorkflowOperation,
  WorkflowUpdateStage,
  type Client,
  type WorkflowHandle,
  type WorkflowUpdateHandle,
} from '@temporalio/client';
import {
  AGENT_INBOX_WORKFLOW,
  PROMPT_DELIVERY_WORKFLOW,
  claimNextMessageUpdate,
  enqueueMessageUpdate,
  inboxStatusQuery,
  inboxWorkflowId,
  promptDeliveryWorkflowId,
  type ClaimResult,
  type EnqueueResult,
  type InboxStatus,
  type PromptDeliveryRequest,
  type PromptDeliveryResult,
} from '../../schemas/temporal/agents.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../../temporal/idempotent-start.js';
import type { agentInboxWorkflow } from '../../worker/workflows/agents/agent-inbox.js';

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
  async startDelivery(prompt: Prompt): Promise<StartedWorkflow> {
    const textDigest = await sha256Hex(prompt.text);
    const request: PromptDeliveryRequest = {
      target: prompt.target,
      message_id: prompt.message_id,
      from: prompt.from ?? null,
      text: prompt.text,
      text_digest: textDigest,
    };
    return startIdempotent(this.client, {
      workflowType: PROMPT_DELIVERY_WORKFLOW,
      workflowId: promptDeliveryWorkflowId(prompt.target, prompt.message_id),
      taskQueue: this.taskQueue,
      args: [request],
      fingerprint: await sha256Hex({ target: prompt.target, text_digest: textDigest, from: request.from }),
      keyName: 'message_id',
    });
  }

  /** Delivers a prompt and waits for the delivery workflow's recorded result. */
  async deliver(prompt: Prompt): Promise<PromptDeliveryResult> {
    const { handle } = await this.startDelivery(prompt);
    return (await handle.result()) as PromptDeliveryResult;
  }

  /** The enqueue update the delivery activity sends; a retried activity sends it again. */
  enqueue(prompt: Prompt): Promise<EnqueueResult> {
    return this.client.workflow.executeUpdateWithStart(enqueueMessageUpdate, {
      args: [
        {
          message_id: prompt.message_id,
          from: prompt.from ?? null,
          text: prompt.text,
          prompt_workflow_id: promptDeliveryWorkflowId(prompt.target, prompt.message_id),
        },
      ],
      startWorkflowOperation: this.startInbox(prompt.target),
    });
  }

  /** A claim as next_prompt sends it, answered once the inbox has handled it. */
  claim(agent: string, waitMs: number, updateId?: string): Promise<ClaimResult> {
    return this.client.workflow.executeUpdateWithStart(claimNextMessageUpdate, {
      args: [{ wait_ms: waitMs }],
      ...(updateId ? { updateId } : {}),
      startWorkflowOperation: this.startInbox(agent),
    });
  }

  /**
   * A claim that has been accepted by the inbox (it is now waiting inside the workflow); its
   * result arrives later. Lets a test know a claim really is waiting before it sends anything.
   */
  startWaitingClaim(agent: string, waitMs: number): Promise<WorkflowUpdateHandle<ClaimResult>> {
    return this.client.workflow.startUpdateWithStart(claimNextMessageUpdate, {
      args: [{ wait_ms: waitMs }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
      startWorkflowOperation: this.startInbox(agent),
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

  status(agent: string): Promise<InboxStatus> {
    return this.inboxHandle(agent).query(inboxStatusQuery);
  }

  private startInbox(agent: string): WithStartWorkflowOperation<typeof agentInboxWorkflow> {
    return new WithStartWorkflowOperation(AGENT_INBOX_WORKFLOW, {
      workflowId: inboxWorkflowId(agent),
      taskQueue: this.taskQueue,
      args: [{ agent }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}

/** An agent name no other test (in this run or an earlier one on the same server) has used. */
export function uniqueAgent(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
