#!/usr/bin/env node
/**
 * The agents MCP server: durable inboxes through which agents are prompted (prompt_agent) and
 * read their prompts (next_prompt). Thin adapter: every tool forwards into the shared worker.
 */
import { serveGroup } from '../kit/serve-group.js';
import { agentsTools } from './tools/index.js';

await serveGroup(
  'agents',
  agentsTools,
  'Durable agent inboxes. prompt_agent delivers a message exactly once per message_id; next_prompt takes the oldest undelivered message, waiting up to wait_sec.',
);
