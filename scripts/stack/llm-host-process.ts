/**
 * When an LLM key is set, `npm start` lets a model be the ensemble agent: the LLM host runs as its
 * own process (it removes the key from its environment before launching the servers) and its
 * lines become events of the live view.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { API_KEY_VARIABLES } from '../../agents/llm/config.js';
import type { EnsembleEvent } from '../../agents/ensemble/ensemble-agent.js';
import { repoRoot } from './paths.js';
import { stopChild } from './stop-child.js';

export function llmKeyIsSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return API_KEY_VARIABLES.some((name) => Boolean(env[name]?.trim()));
}

export interface LlmHostProcess {
  stop(): Promise<void>;
}

export function startLlmHostProcess(env: NodeJS.ProcessEnv, onEvent: (e: EnsembleEvent) => void): LlmHostProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'agents', 'llm-host.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stdout }).on('line', (line) => onEvent({ kind: 'decision', text: line }));
  createInterface({ input: child.stderr }).on('line', (line) => onEvent({ kind: 'error', text: line }));
  return {
    async stop() {
      await stopChild(child, exited, 10_000);
    },
  };
}
