/**
 * The agents server's tools: a prompt is delivered exactly once (a repeat of its id is a
 * duplicate and never read twice), the ensemble's selection and nudge schedule stay as the broker
 * set them while nudges keep coming, and a conversation keeps every turn across hand-overs.
 */
import type { getAgentStatus, nextPrompt, promptAgent, selectPairs, setNudgeSchedule } from '../../../schemas/agents.js';
import type { getConversation, saveConversationTurn } from '../../../schemas/agents-conversation.js';
import type { ToolOutput } from '../../../schemas/contract.js';
import { inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import { nudgeScheduleId } from '../../../schemas/temporal/ensemble.js';
import { marketStreamWorkflowId } from '../../../schemas/temporal/market.js';
import { check, checkEqual } from '../check.js';
import type { SoakContext } from '../soak-context.js';
import type { ToolCheck } from './tool-check.js';

export const agentsChecks: ToolCheck[] = [
  {
    tool: 'prompt_agent',
    async run({ call, names, memory, round }: SoakContext) {
      const args = { target: names.talker, message: `soak round ${round}`, message_id: `soak-${round}`, from: 'soak-driver' };
      const sent = await call<ToolOutput<typeof promptAgent>>('prompt_agent', args);
      checkEqual([sent.status, sent.duplicate, sent.inbox_workflow_id], ['delivered', false, inboxWorkflowId(names.talker)], 'prompt_agent status, duplicate, inbox');
      check((sent.seq ?? -1) > memory.lastPromptSeq, `prompt_agent seq ${sent.seq} is not after ${memory.lastPromptSeq}`);
      memory.lastPromptSeq = sent.seq as number;
      const repeated = await call<ToolOutput<typeof promptAgent>>('prompt_agent', args);
      checkEqual([repeated.duplicate, repeated.seq], [true, sent.seq], 'a repeated prompt_agent (duplicate, seq)');
    },
  },
  {
    tool: 'next_prompt',
    async run({ call, names, round }: SoakContext) {
      const taken = await call<ToolOutput<typeof nextPrompt>>('next_prompt', { agent: names.talker, wait_sec: 20 }, 60_000);
      checkEqual([taken.message?.message_id, taken.message?.text, taken.remaining], [`soak-${round}`, `soak round ${round}`, 0], 'next_prompt (message id, text, remaining)');
      // Delivered once: the repeat of that id left nothing more to read.
      const after = await call<ToolOutput<typeof nextPrompt>>('next_prompt', { agent: names.talker, wait_sec: 0 });
      checkEqual(after.message, null, 'next_prompt after the only prompt was read');
    },
  },
  {
    tool: 'select_pairs',
    async run({ call, names }: SoakContext) {
      const selected = await call<ToolOutput<typeof selectPairs>>('select_pairs', { agent: names.agent, symbols: names.symbols, exchange: names.exchange });
      checkEqual(
        [selected.symbols, selected.stream_workflow_ids, selected.schedule_id, selected.schedule_created],
        [names.symbols, [marketStreamWorkflowId(names.exchange, names.symbols)], nudgeScheduleId(names.agent), false],
        'select_pairs (symbols, streams, schedule, created)',
      );
    },
  },
  {
    tool: 'set_nudge_schedule',
    async run({ call, names }: SoakContext) {
      const set = await call<ToolOutput<typeof setNudgeSchedule>>('set_nudge_schedule', { agent: names.agent, interval_sec: names.nudgeIntervalSec, paused: false });
      checkEqual([set.schedule.schedule_id, set.schedule.interval_sec, set.schedule.paused], [nudgeScheduleId(names.agent), names.nudgeIntervalSec, false], 'set_nudge_schedule schedule');
    },
  },
  {
    tool: 'get_agent_status',
    async run({ call, names, memory }: SoakContext) {
      const status = await call<ToolOutput<typeof getAgentStatus>>('get_agent_status', { agent: names.agent });
      checkEqual([status.exchange, status.selected_pairs], [names.exchange, names.symbols], 'get_agent_status selection');
      check(status.schedule && status.schedule.schedule_id === nudgeScheduleId(names.agent) && !status.schedule.paused, `the nudge schedule is not intact: ${JSON.stringify(status.schedule)}`);
      // Nudges keep coming: the count never goes back, and the last one is recent.
      check(status.nudges >= memory.lastNudges, `the nudge count went from ${memory.lastNudges} to ${status.nudges}`);
      const sinceLastMs = Date.now() - (status.last_nudge ? Date.parse(status.last_nudge.at) : memory.startedAt);
      check(sinceLastMs <= (3 * names.nudgeIntervalSec + 15) * 1000, `no nudge for ${Math.round(sinceLastMs / 1000)} s (interval ${names.nudgeIntervalSec} s)`);
      memory.lastNudges = status.nudges;
    },
  },
  {
    tool: 'save_conversation_turn',
    async run({ call, names, memory, round }: SoakContext) {
      const turn = [
        { role: 'user', content: `question ${round}` },
        { role: 'assistant', content: `answer ${round}` },
      ];
      const saved = await call<ToolOutput<typeof saveConversationTurn>>('save_conversation_turn', { agent: names.talker, turn_id: `turn-${round}`, messages: turn });
      checkEqual([saved.turn_seq, saved.duplicate], [round, false], 'save_conversation_turn (turn_seq, duplicate)');
      memory.conversation.push(...turn);
      checkEqual(saved.stored_messages + saved.dropped_messages, memory.conversation.length, 'messages stored + dropped');
    },
  },
  {
    tool: 'get_conversation',
    async run({ call, names, memory, round }: SoakContext) {
      const read = await call<ToolOutput<typeof getConversation>>('get_conversation', { agent: names.talker });
      checkEqual([read.turn_count, read.last_turn_id], [round, `turn-${round}`], 'get_conversation (turn_count, last_turn_id)');
      check(read.messages.length > 0, 'get_conversation returned no messages');
      checkEqual(
        read.messages.map((m) => ({ role: m.role, content: m.content })),
        memory.conversation.slice(-read.messages.length),
        'get_conversation messages (the newest, in order)',
      );
    },
  },
];
