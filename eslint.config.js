// Lint rules that also guard the architecture. The import matrix in docs/ARCHITECTURE.md ("Who may
// import whom") is written here once, as one no-restricted-imports block per layer: every file
// matches exactly one layer block (eslint would otherwise let the last block silently replace the
// earlier one's list), so each block lists everything its layer may not reach.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// Relative import specifiers are matched as gitignore patterns, so a folder is named by
// `**/<folder>/**`. `temporal/` (Node-side plumbing) must not be confused with `schemas/temporal/`
// (the contract) or `scripts/temporal/` (the CLI), hence the negations.
const rule = {
  servers: { group: ['**/servers/**'], message: 'Nothing outside servers/ imports a server: shared code lives in temporal/, schemas/ or domain/.' },
  tests: { group: ['**/tests/**'], message: 'Nothing that ships imports tests/: move the shared part out of tests/helpers.' },
  scripts: { group: ['**/scripts/**'], message: 'Only scripts import scripts/.' },
  worker: { group: ['**/worker/**'], message: 'Only the worker and scripts import worker/: reach a workflow through temporal/clients/.' },
  workerButWorkflowTypes: {
    // Listed folder by folder: a pattern cannot re-include a file below a folder it excludes.
    group: ['**/worker/*.js', '**/worker/activities/**', '**/worker/config/**', '**/worker/replay/**'],
    message: 'temporal/ reaches the worker only through workflow types (import type from worker/workflows/).',
  },
  workflowValues: {
    group: ['**/worker/workflows/**'],
    allowTypeImports: true,
    message: 'Reference a workflow by its type (import type): its code runs only in the worker.',
  },
  nodeTemporal: {
    group: ['**/temporal/**', '!**/schemas/temporal/**', '!**/scripts/temporal/**'],
    message: 'temporal/ is Node-side plumbing (gRPC clients); this layer is deterministic and cannot use it.',
  },
  // agents/ shares its name with the agents group folders elsewhere, so it is named by its own sub-folders.
  agentsInternals: {
    group: ['**/agents/host/**', '**/agents/llm/**', '**/agents/ensemble/**', '**/agents/strategy/**', '**/agents/broker/**'],
    message: 'agents/ are MCP hosts: only scripts/ (which runs them) imports them.',
  },
  nodeTemporalFromSchemas: { group: ['../temporal/**', '../../temporal/**'], message: 'The contract does not use the Node-side Temporal plumbing in temporal/.' },
  heavyIo: { group: ['ccxt', 'viem', 'viem/*'], message: 'Venue and chain SDKs are imported by worker activities only.' },
  temporalWorkerSide: { group: ['@temporalio/worker', '@temporalio/activity'], message: 'Only the worker imports @temporalio/worker or @temporalio/activity.' },
  clientSdkLazily: {
    group: ['@temporalio/client', '@temporalio/proto'],
    allowTypeImports: true,
    message:
      "Load the client SDK's values on first use: `await import('<path>/temporal/client-sdk.js')`. A static import puts the gRPC stack and the protobuf definitions into every server's start.",
  },
  temporalAny: { group: ['@temporalio/*'], message: 'This layer knows nothing of Temporal.' },
  temporalWorkflowOnly: { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/proto'], message: 'Workflow code may import only @temporalio/workflow and @temporalio/common.' },
  zod: { group: ['zod'], message: 'Deterministic code stays small and framework-free: validation belongs to the tool contract.' },
  activities: { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activity types only; call them through proxyActivities.' },
  config: { group: ['**/config/**'], message: 'Workflows read no environment: configuration enters as workflow input or through an activity.' },
  mcp: { group: ['@modelcontextprotocol/*'], message: 'MCP belongs to servers/ and agents/.' },
  runtime: { group: ['**/runtime/**'], message: 'runtime/ holds Node-side helpers (timers, abort signals): deterministic code cannot use them.' },
  projectLayers: {
    group: ['**/schemas/**', '**/domain/**', '**/temporal/**', '**/servers/**', '**/worker/**', '**/agents/**', '**/scripts/**', '**/tests/**'],
    message: 'runtime/ stands on Node alone, so every layer may import it: it imports no other layer.',
  },
};

/** The modules the rest of temporal/ reaches only through a dynamic import (lazy-client.ts and the clients). */
const LAZY_CLIENT_SDK = ['temporal/client-sdk.ts', 'temporal/releasing-connection.ts'];

const builtinPaths = (why) => nodeBuiltins.map((name) => ({ name, message: why }));

function layer(files, patterns, paths = [], ignores = []) {
  return { files, ...(ignores.length ? { ignores } : {}), rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', crypto: 'readonly', fetch: 'readonly', NodeJS: 'readonly',
        performance: 'readonly', structuredClone: 'readonly', setImmediate: 'readonly',
      },
    },
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'AbortSignal',
          property: 'any',
          message:
            'On Node 20 a composite signal keeps every listener for good and loses an AbortSignal.timeout source to garbage collection (its deadline never fires). Use linkedSignal or linkedSignalWithTimeout from runtime/linked-signal.ts.',
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },

  // The contract: zod tool contracts import only schemas/.
  layer(['schemas/**/*.ts'], [rule.servers, rule.worker, rule.tests, rule.scripts, rule.nodeTemporalFromSchemas, rule.agentsInternals, rule.heavyIo, rule.temporalAny, rule.runtime, { group: ['**/domain/**'], message: 'The contract does not depend on trading logic.' }, rule.mcp], [], ['schemas/temporal/**', 'schemas/primitives/**']),
  // The Temporal-side contract and the primitives are bundled into workflows: deterministic, no zod.
  layer(['schemas/temporal/**/*.ts', 'schemas/primitives/**/*.ts'], [rule.servers, rule.worker, rule.tests, rule.scripts, rule.nodeTemporalFromSchemas, rule.agentsInternals, rule.heavyIo, rule.temporalWorkflowOnly, rule.zod, rule.runtime, { group: ['**/domain/**'], message: 'The contract does not depend on trading logic.' }, rule.mcp], builtinPaths('The workflow contract is deterministic: no Node built-ins.')),
  // Pure trading logic: no Temporal, no I/O, no Node built-ins.
  layer(['domain/**/*.ts'], [rule.servers, rule.worker, rule.tests, rule.scripts, rule.nodeTemporal, rule.agentsInternals, rule.heavyIo, rule.temporalAny, rule.zod, rule.runtime, rule.mcp], builtinPaths('domain/ is pure: no Node built-ins. Do I/O in an activity.')),
  // Node-side Temporal plumbing and the typed clients.
  layer(
    ['temporal/**/*.ts'],
    [rule.servers, rule.workerButWorkflowTypes, rule.workflowValues, rule.tests, rule.scripts, rule.agentsInternals, rule.heavyIo, rule.temporalWorkerSide, rule.clientSdkLazily, rule.mcp],
    [],
    LAZY_CLIENT_SDK,
  ),
  // The two modules only ever loaded by a dynamic import: the client SDK's values and the connection.
  layer(LAZY_CLIENT_SDK, [rule.servers, rule.workerButWorkflowTypes, rule.workflowValues, rule.tests, rule.scripts, rule.agentsInternals, rule.heavyIo, rule.temporalWorkerSide, rule.mcp]),
  // Servers and their kit: the tool contract only, fast to start.
  layer(['servers/**/*.ts'], [rule.worker, rule.tests, rule.scripts, rule.agentsInternals, rule.heavyIo, rule.temporalWorkerSide, rule.clientSdkLazily]),
  // The worker's entry, configuration, replay and activities.
  layer(['worker/**/*.ts'], [rule.servers, rule.tests, rule.scripts, rule.agentsInternals, rule.mcp], [], ['worker/workflows/**']),
  // Workflow code: deterministic orchestration only.
  layer(
    ['worker/workflows/**/*.ts'],
    [rule.servers, rule.tests, rule.scripts, rule.agentsInternals, rule.nodeTemporal, rule.heavyIo, rule.temporalWorkflowOnly, rule.zod, rule.activities, rule.config, rule.runtime, rule.mcp],
    builtinPaths('Workflow code is deterministic: no Node built-ins. Do I/O in an activity.'),
  ),
  {
    files: ['worker/workflows/**/*.ts', 'domain/**/*.ts', 'schemas/temporal/**/*.ts', 'schemas/primitives/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Deterministic code reads no environment: pass configuration as input.' },
        { name: 'fetch', message: 'Deterministic code does no I/O: use an activity.' },
        { name: 'require', message: 'Workflow code is ESM and deterministic.' },
      ],
    },
  },
  // Node-side helpers every layer outside deterministic code may share.
  layer(['runtime/**/*.ts'], [rule.projectLayers, rule.heavyIo, rule.temporalAny, rule.zod, rule.mcp]),
  // Scripted agents are MCP hosts: they reach the stack through the servers they launch.
  layer(['agents/**/*.ts'], [rule.servers, rule.worker, rule.tests, rule.scripts, rule.nodeTemporal, rule.heavyIo, rule.temporalAny]),
  // Operator commands: may start the worker and use the clients, never a server's code or a test helper.
  layer(['scripts/**/*.ts', 'bin/**/*.js'], [rule.servers, rule.tests]),
);
