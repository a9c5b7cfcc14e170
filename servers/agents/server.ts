#!/usr/bin/env node
/**
 * The agents MCP server: durable inboxes through which agents are prompted (prompt_agent) and read
 * their prompts (next_prompt), pair selection with the nudge schedule, and agent status. Thin
 * adapter: every tool forwards into the shared worker.
 */
import { runServer } from '../kit/serve-group.js';
import { reviewPortfolioPrompt } from './prompts/review-portfolio.js';
import { inboxResource } from './resources/inbox-resource.js';
import { agentsTools } from './tools/index.js';

runServer({
  // Written next to the built server by the build; from source the listing is made from the contracts.
  listing: new URL('./tools.json', import.meta.url),
  group: 'agents',
  tools: agentsTools,
  resources: [inboxResource],
  prompts: [reviewPortfolioPrompt],
  instructions:
    'Durable agent inboxes and the ensemble agent. prompt_agent delivers a message exactly once per message_id; next_prompt takes the oldest undelivered message, waiting up to wait_sec; select_pairs chooses what the ensemble agent trades and starts its 30-second nudges.',
});
