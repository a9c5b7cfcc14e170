/**
 * `agent://{name}/inbox`: an agent's undelivered messages, read without taking them. Hosts that
 * subscribe are notified when a message arrives or is taken.
 */
import { agentName } from '../../../schemas/common.js';
import { inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import { peekInbox, readInboxStatus } from '../../../temporal/clients/inbox.js';
import type { ResourceTemplateDefinition } from '../../kit/define-resource.js';
import { ToolError } from '../../kit/tool-error.js';

const PEEK_LIMIT = 20;
const KNOWN_AGENTS = ['ensemble', 'broker'];

export const inboxResource: ResourceTemplateDefinition = {
  uriTemplate: 'agent://{name}/inbox',
  name: 'agent-inbox',
  title: 'Agent inbox',
  description: `An agent's undelivered prompts (oldest first, up to ${PEEK_LIMIT}) and its inbox counters. Subscribe to be told when it changes.`,
  match(uri) {
    const found = /^agent:\/\/([^/]+)\/inbox$/.exec(uri);
    return found ? { name: decodeURIComponent(found[1] as string) } : undefined;
  },
  async list() {
    return KNOWN_AGENTS.map((name) => ({ uri: `agent://${name}/inbox`, name: `${name}-inbox`, title: `${name} inbox` }));
  },
  async read({ name }, { temporal }) {
    const parsed = agentName.safeParse(name);
    if (!parsed.success) throw new ToolError('INVALID_INPUT', `"${name}" is not an agent name`, 'Use agent://<name>/inbox with a lowercase name such as ensemble.', false);
    const client = await temporal.client();
    const [status, pending] = await Promise.all([readInboxStatus(client, parsed.data), peekInbox(client, parsed.data, PEEK_LIMIT)]);
    const body = {
      agent: parsed.data,
      workflow_id: inboxWorkflowId(parsed.data),
      depth: status?.depth ?? 0,
      delivered: status?.delivered ?? 0,
      next_seq: status?.next_seq ?? 0,
      pending: pending ?? [],
    };
    return { body, version: `${body.next_seq}:${body.delivered}` };
  },
};
