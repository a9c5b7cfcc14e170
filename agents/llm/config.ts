/**
 * The LLM host's settings, read once from the environment with errors that name the variable and
 * say what to set. API keys are kept in this object only to build the provider's auth header.
 */
import { readFileSync } from 'node:fs';
import { isShortName } from '../../schemas/primitives/short-name.js';
import { MAX_MESSAGE_CHARS } from '../../schemas/temporal/conversation.js';
import { DEFAULT_SYSTEM_PROMPT } from './system-prompt.js';

export type ProviderName = 'openai' | 'anthropic';

export interface ProviderConfig {
  name: ProviderName;
  /** Endpoint root: https://api.openai.com/v1 for OpenAI-compatible, https://api.anthropic.com for Anthropic. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  maxOutputTokens: number;
  /** OpenAI-compatible servers get max_tokens only when it was set explicitly (newer OpenAI models reject it). */
  maxOutputTokensExplicit: boolean;
  temperature?: number;
}

export interface LlmHostConfig {
  agent: string;
  provider: ProviderConfig;
  systemPrompt: string;
  /** Model requests (each possibly with tool calls) per prompt before the host stops the exchange. */
  maxToolRounds: number;
  /** Seconds each next_prompt call waits for a prompt. */
  waitSec: number;
  /** Messages sent to the model besides the system prompt; undefined sends all the worker keeps. */
  contextMaxMessages?: number;
  /** A tool result longer than this is cut before it reaches the model and the conversation. */
  toolResultMaxChars: number;
  /** Servers of mcp.json to launch; undefined launches all of them. */
  servers?: string[];
}

export class LlmConfigError extends Error {}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_MODELS: Record<ProviderName, string> = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-5' };

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new LlmConfigError(`${name}=${raw} is not an integer between ${min} and ${max}`);
  return value;
}

function baseUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LlmConfigError(`${name}=${raw} is not a URL; use e.g. ${fallback}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LlmConfigError(`${name}=${raw} must be an http or https URL`);
  if (url.username || url.password || url.search) {
    throw new LlmConfigError(`${name} must not carry credentials or a query string; the key goes in OPENAI_API_KEY or ANTHROPIC_API_KEY`);
  }
  return raw.replace(/\/+$/, '');
}

function apiKey(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = text(env, name);
  // A key travels in an HTTP header: anything that could end the header is refused, without echoing it.
  if (key !== undefined && !/^[\x21-\x7e]+$/.test(key)) throw new LlmConfigError(`${name} contains spaces or control characters; paste the key alone`);
  return key;
}

function chooseProvider(env: NodeJS.ProcessEnv, keys: Record<ProviderName, string | undefined>): ProviderName {
  const requested = text(env, 'LLM_PROVIDER');
  if (requested !== undefined) {
    if (requested !== 'openai' && requested !== 'anthropic') {
      throw new LlmConfigError(`LLM_PROVIDER=${requested} is not supported; use openai (any OpenAI-compatible API) or anthropic`);
    }
    if (!keys[requested]) {
      const variable = requested === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
      throw new LlmConfigError(`LLM_PROVIDER=${requested} but ${variable} is not set; set it to your API key`);
    }
    return requested;
  }
  if (keys.openai) return 'openai';
  if (keys.anthropic) return 'anthropic';
  throw new LlmConfigError(
    'no model API key is set. Set OPENAI_API_KEY (OpenAI, or any OpenAI-compatible server with LLM_BASE_URL) or ANTHROPIC_API_KEY (Anthropic), ' +
      'and optionally LLM_MODEL. Without a key, run the scripted ensemble agent instead.',
  );
}

function systemPrompt(env: NodeJS.ProcessEnv): string {
  const file = text(env, 'LLM_SYSTEM_PROMPT_FILE');
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      throw new LlmConfigError(`LLM_SYSTEM_PROMPT_FILE=${file} cannot be read; point it at a text file`);
    }
  }
  return text(env, 'LLM_SYSTEM_PROMPT') ?? DEFAULT_SYSTEM_PROMPT;
}

function boundedSystemPrompt(env: NodeJS.ProcessEnv): string {
  const prompt = systemPrompt(env);
  // It is saved as a conversation message, which has this bound.
  if (prompt.length > MAX_MESSAGE_CHARS) throw new LlmConfigError(`the system prompt has ${prompt.length} characters; keep it under ${MAX_MESSAGE_CHARS}`);
  if (prompt === '') throw new LlmConfigError('the system prompt is empty; leave LLM_SYSTEM_PROMPT / LLM_SYSTEM_PROMPT_FILE unset for the built-in one');
  return prompt;
}

export function llmHostConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmHostConfig {
  const agent = text(env, 'LLM_AGENT') ?? 'ensemble';
  if (!isShortName(agent)) throw new LlmConfigError(`LLM_AGENT=${agent} is not an agent name (1-64 of a-z, 0-9, "-", "_")`);
  const keys = { openai: apiKey(env, 'OPENAI_API_KEY'), anthropic: apiKey(env, 'ANTHROPIC_API_KEY') };
  const name = chooseProvider(env, keys);
  const temperatureRaw = text(env, 'LLM_TEMPERATURE');
  let temperature: number | undefined;
  if (temperatureRaw !== undefined) {
    temperature = Number(temperatureRaw);
    if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new LlmConfigError(`LLM_TEMPERATURE=${temperatureRaw} is not a number between 0 and 2`);
  }
  const maxOutputTokensExplicit = text(env, 'LLM_MAX_OUTPUT_TOKENS') !== undefined;
  const provider: ProviderConfig = {
    name,
    baseUrl: name === 'openai' ? baseUrl(env, 'LLM_BASE_URL', DEFAULT_OPENAI_BASE_URL) : baseUrl(env, 'ANTHROPIC_BASE_URL', DEFAULT_ANTHROPIC_BASE_URL),
    apiKey: keys[name] as string,
    model: text(env, 'LLM_MODEL') ?? DEFAULT_MODELS[name],
    timeoutMs: integer(env, 'LLM_TIMEOUT_SEC', 120, 1, 900) * 1000,
    maxRetries: integer(env, 'LLM_MAX_RETRIES', 4, 0, 10),
    retryBaseMs: integer(env, 'LLM_RETRY_BASE_MS', 1_000, 0, 60_000),
    maxOutputTokens: integer(env, 'LLM_MAX_OUTPUT_TOKENS', 4_096, 1, 200_000),
    maxOutputTokensExplicit,
    ...(temperature !== undefined ? { temperature } : {}),
  };
  const servers = text(env, 'LLM_MCP_SERVERS')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const contextMaxMessages = text(env, 'LLM_CONTEXT_MAX_MESSAGES') === undefined ? undefined : integer(env, 'LLM_CONTEXT_MAX_MESSAGES', 0, 1, 5_000);
  return {
    agent,
    provider,
    systemPrompt: boundedSystemPrompt(env),
    maxToolRounds: integer(env, 'LLM_MAX_TOOL_ROUNDS', 8, 1, 50),
    waitSec: integer(env, 'LLM_WAIT_SEC', 30, 1, 50),
    ...(contextMaxMessages !== undefined ? { contextMaxMessages } : {}),
    toolResultMaxChars: integer(env, 'LLM_TOOL_RESULT_MAX_CHARS', 16_000, 200, 100_000),
    ...(servers && servers.length ? { servers } : {}),
  };
}

/** The variables holding keys: removed from the process environment once read, so no child process inherits them. */
export const API_KEY_VARIABLES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'] as const;
