/**
 * Agents activities: the I/O behind the inbox workflows. Delivery goes through Temporal itself
 * (update-with-start on the inbox), so the inbox exists the first time anyone writes to it.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import {
  AGENT_INBOX_WORKFLOW,
  INBOX_FULL,
  enqueueMessageUpdate,
  inboxWorkflowId,
  promptDeliveryWorkflowId,
  type EnqueueResult,
  type InboxLimits,
  type PromptDeliveryRequest,
} from '../../../schemas/temporal/agents.js';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import type { NudgeConfig } from '../../config/agents-config.js';
import { createEnsembleActivities } from './ensemble.js';

export function createAgentsActivities(deps: { inboxLimits: InboxLimits; nudge: NudgeConfig }) {
  return {
    ...createEnsembleActivities({ nudge: deps.nudge }),

    async loadInboxLimits(): Promise<InboxLimits> {
      return deps.inboxLimits;
    },

    async deliverToInbox(req: PromptDeliveryRequest): Promise<EnqueueResult> {
      const { client, info } = Context.current();
      const workflowId = inboxWorkflowId(req.target);
      const startInbox = new WithStartWorkflowOperation(AGENT_INBOX_WORKFLOW, {
        workflowId,
        taskQueue: info.taskQueue,
        args: [{ agent: req.target }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      try {
        return await client.workflow.executeUpdateWithStart(enqueueMessageUpdate, {
          args: [
            {
              message_id: req.message_id,
              from: req.from,
              text: req.text,
              prompt_workflow_id: promptDeliveryWorkflowId(req.target, req.message_id),
            },
          ],
          startWorkflowOperation: startInbox,
        });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && failureType(err.cause) === INBOX_FULL) {
          throw ApplicationFailure.create({
            type: INBOX_FULL,
            nonRetryable: true,
            message: `${req.target}'s ${err.cause?.message ?? 'inbox is full'}; the agent drains it with next_prompt, then send again with a new message_id (this one is recorded as refused)`,
          });
        }
        throw err;
      }
    },
  };
}

export type AgentsActivities = ReturnType<typeof createAgentsActivities>;
