/**
 * The LLM host's loop. Every step starts from the durable conversation, so the host holds no state
 * a crash could lose: if the conversation ends with a prompt or with tool results, the model owes
 * an answer and one model round runs; otherwise the host takes the next prompt from its inbox.
 * Each step saves exactly one turn (the prompt; or an assistant message with all its tool results;
 * or the final answer), so a restart continues from the last saved step.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { InboxMessage, nextPrompt } from '../../schemas/agents.js';
import type { ToolOutput } from '../../schemas/contract.js';
import type { ConversationMessage } from '../../schemas/temporal/conversation.js';
import { ToolCallError, type McpHost } from '../host/mcp-host.js';
import type { LlmHostConfig } from './config.js';
import { DurableConversation, type ConversationSnapshot } from './durable-conversation.js';
import { ModelHttpError } from './providers/http-json.js';
import type { FunctionTool, ModelProvider, ModelReply } from './providers/model-provider.js';
import { boundReply } from './reply-bounds.js';
import { runToolCall } from './tool-runner.js';
import { pause } from '../../runtime/pause.js';

export interface HostLog {
  info(line: string): void;
  error(line: string): void;
}

/** Lines of a model answer printed; the whole answer is in the conversation. */
const MAX_ANSWER_LINES = 20;

/** The host cannot go on (the key was refused, a server connection is gone): it stops so it can be fixed or restarted. */
export class FatalHostError extends Error {}

/** A server's stdio connection closed: this process cannot reach it again, a restarted host can. */
function isConnectionLost(err: unknown): boolean {
  return (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) || (err instanceof Error && err.message === 'Not connected');
}

/** The server kit ends every error text by saying whether the same call can succeed later. */
function isRetryableToolError(err: unknown): boolean {
  return err instanceof ToolCallError && err.text.endsWith('Retrying can help.');
}

/** Pause after the nth consecutive failure: 2 s, 4 s, ... at most a minute. */
const backoffMs = (failures: number) => Math.min(60_000, 1_000 * 2 ** Math.min(failures, 6));

const oneLine = (text: string, max = 200) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The prompt as the model sees it: who sent it and when, then the text. */
export function promptMessage(m: Pick<InboxMessage, 'message_id' | 'from' | 'text' | 'enqueued_at'>): ConversationMessage {
  return { role: 'user', content: `[prompt ${m.message_id} from ${m.from ?? 'unknown sender'} at ${m.enqueued_at}]\n${m.text}` };
}

/** True when the conversation ends with a prompt or tool results: the model has not answered yet. */
export function owesAnswer(messages: readonly ConversationMessage[]): boolean {
  const last = messages[messages.length - 1];
  return last?.role === 'user' || last?.role === 'tool';
}

/** Tool rounds the model has taken since the latest prompt, as far as the conversation shows them. */
export function toolRoundsSincePrompt(messages: readonly ConversationMessage[]): number {
  let rounds = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role !== 'user'; i -= 1) if (messages[i]?.tool_calls?.length) rounds += 1;
  return rounds;
}

export class AgentLoop {
  private readonly conversation: DurableConversation;
  private readonly offered: ReadonlySet<string>;
  /** Empty claims since the last saved turn: each needs a fresh claim id (a repeated id returns the same answer). */
  private emptyClaims = 0;
  private failures = 0;

  constructor(
    private readonly host: McpHost,
    private readonly provider: ModelProvider,
    private readonly tools: readonly FunctionTool[],
    private readonly config: LlmHostConfig,
    private readonly log: HostLog,
  ) {
    this.conversation = new DurableConversation(host, config.agent, config.contextMaxMessages);
    this.offered = new Set(tools.map((t) => t.name));
  }

  /** Runs until the signal aborts; throws FatalHostError when the model API refuses the credentials. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.step(signal);
        this.failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ModelHttpError && err.refusedCredentials) throw new FatalHostError(`${err.message} Stopping: fix the key and start again.`);
        if (isConnectionLost(err)) {
          throw new FatalHostError('the connection to an MCP server was lost. Start the host again: it continues the conversation where it stopped.');
        }
        this.failures += 1;
        // The durable conversation is unchanged by a failed step, so the same step is simply tried again.
        const pauseMs = backoffMs(this.failures);
        this.log.error(`step failed (${err instanceof Error ? err.message : String(err)}); trying again in ${Math.round(pauseMs / 1000)} s`);
        await pause(pauseMs, signal);
      }
    }
  }

  private async step(signal: AbortSignal): Promise<void> {
    const snapshot = await this.conversation.load();
    if (snapshot.system !== this.config.systemPrompt) {
      await this.save(snapshot, [{ role: 'system', content: this.config.systemPrompt }], signal);
      return;
    }
    if (owesAnswer(snapshot.messages)) await this.modelRound(snapshot, signal);
    else await this.takePrompt(snapshot, signal);
  }

  private async takePrompt(snapshot: ConversationSnapshot, signal: AbortSignal): Promise<void> {
    // The claim id follows the conversation: a prompt taken just before a crash (claimed, not yet
    // saved) is handed out again to the restarted host, which asks with the same id.
    const claimId = `${this.config.agent}-llm-t${snapshot.turnCount}-${this.emptyClaims}`;
    const claim = await this.host.call<ToolOutput<typeof nextPrompt>>(
      'next_prompt',
      { agent: this.config.agent, wait_sec: this.config.waitSec, claim_id: claimId },
      { timeoutMs: (this.config.waitSec + 60) * 1000 },
    );
    if (!claim.message) {
      this.emptyClaims += 1;
      return;
    }
    this.log.info(`prompt ${claim.message.message_id} from ${claim.message.from ?? 'unknown'}: ${oneLine(claim.message.text)}`);
    await this.save(snapshot, [promptMessage(claim.message)], signal);
  }

  private async modelRound(snapshot: ConversationSnapshot, signal: AbortSignal): Promise<void> {
    const rounds = toolRoundsSincePrompt(snapshot.messages);
    if (rounds >= this.config.maxToolRounds) {
      const stopped = `${rounds} tool round${rounds === 1 ? '' : 's'}`;
      this.log.info(`stopped after ${stopped} without a final answer (LLM_MAX_TOOL_ROUNDS=${this.config.maxToolRounds})`);
      // Saved as the assistant's closing message, so the exchange is complete and the model sees why it ended.
      await this.save(snapshot, [{ role: 'assistant', content: `[host] Stopped after ${stopped} without a final answer; waiting for the next prompt.` }], signal);
      return;
    }
    let raw: ModelReply;
    try {
      raw = await this.provider.complete({ system: snapshot.system, messages: snapshot.messages, tools: this.tools }, signal);
    } catch (err) {
      if (!(err instanceof ModelHttpError) || err.retryable || err.refusedCredentials) throw err;
      // The same request would fail the same way: the exchange is closed with the reason, and the host moves on.
      this.log.error(`model request refused: ${err.message}`);
      await this.save(snapshot, [{ role: 'assistant', content: `[host] The model request failed and was not retried: ${err.message}` }], signal);
      return;
    }
    const { reply, repairs } = boundReply(raw);
    for (const repair of repairs) this.log.error(`model reply repaired: ${repair}`);
    if (reply.tool_calls.length === 0) {
      await this.save(snapshot, [{ role: 'assistant', content: reply.content }], signal);
      // Printed once saved, so a printed answer is a recorded one. One line per line of the answer:
      // the model is asked for one line per decision.
      const lines = reply.content.split('\n').filter((l) => l.trim() !== '');
      for (const line of lines.length ? lines.slice(0, MAX_ANSWER_LINES) : ['(empty)']) this.log.info(`answer: ${oneLine(line, 300)}`);
      if (lines.length > MAX_ANSWER_LINES) this.log.info(`answer: (${lines.length - MAX_ANSWER_LINES} more lines in the conversation)`);
      return;
    }
    const turn: ConversationMessage[] = [{ role: 'assistant', content: reply.content, tool_calls: reply.tool_calls }];
    if (reply.content) this.log.info(`thinking: ${oneLine(reply.content)}`);
    for (const call of reply.tool_calls) {
      const outcome = await runToolCall(this.host, this.offered, call, this.config.toolResultMaxChars);
      this.log.info(`tool ${call.name} ${oneLine(call.arguments, 160)} -> ${outcome.ok ? 'ok' : 'error'}: ${oneLine(outcome.message.content, 160)}`);
      turn.push(outcome.message);
    }
    // The tools have run: from here the turn is saved however long Temporal takes, never recomputed.
    await this.save(snapshot, turn, signal);
  }

  /**
   * Saves a turn, retrying while the error says a retry can help: the turn id makes a repeat
   * harmless, and giving up would mean asking the model (and running its tools) again.
   */
  private async save(snapshot: ConversationSnapshot, messages: ConversationMessage[], signal: AbortSignal): Promise<void> {
    for (let failures = 1; ; failures += 1) {
      try {
        await this.conversation.save(snapshot, messages);
        this.emptyClaims = 0;
        return;
      } catch (err) {
        if (signal.aborted || !isRetryableToolError(err)) throw err;
        this.log.error(`saving the turn failed (${(err as Error).message}); trying again in ${backoffMs(failures) / 1000} s`);
        await pause(backoffMs(failures), signal);
      }
    }
  }
}
