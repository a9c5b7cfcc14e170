// Lint rules that also guard the architecture: workflow code stays deterministic (no Node
// built-ins, no I/O clients, no environment), and servers stay thin (no heavy venue or chain SDKs).
// The workflow block comes last so that it wins for schemas/temporal/, which is bundled into workflows.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['servers/**/*.ts', 'schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['ccxt', 'viem', 'viem/*', '@temporalio/worker', '**/worker/**'], message: 'Servers hold only the tool contract: heavy I/O lives in worker activities.' },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/workflows/**/*.ts', 'schemas/temporal/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code is deterministic: no Node built-ins. Do I/O in an activity.' })),
          patterns: [
            { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflow code may import only @temporalio/workflow and @temporalio/common.' },
            { group: ['ccxt', 'viem', 'viem/*', 'zod'], message: 'Workflow code does no I/O and stays small: move this to an activity.' },
            { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activity types only; call them through proxyActivities.' },
            { group: ['**/config/**'], message: 'Workflows read no environment: configuration enters as workflow input or through an activity.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Workflows read no environment: pass configuration as input.' },
        { name: 'fetch', message: 'Workflows do no I/O: use an activity.' },
        { name: 'require', message: 'Workflow code is ESM and deterministic.' },
      ],
    },
  },
);
