/**
 * The import matrix of docs/ARCHITECTURE.md, checked through the project's own eslint config: each
 * row is an import a layer must not make (it fails lint) or may make (it passes), written as the
 * file a change would add in that layer.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const refused: Array<[string, string, string]> = [
  ['the worker imports a server file', 'worker/main-extra.ts', "import { ToolError } from '../servers/kit/tool-error.js';\nexport const e = ToolError;"],
  ['an activity imports a server tool', 'worker/activities/ledger/extra.ts', "import { placeMockOrderTool } from '../../../servers/execution/tools/orders/place-mock-order.js';\nexport const t = placeMockOrderTool;"],
  ['a script imports a test helper', 'scripts/bench/extra.ts', "import { eventually } from '../../tests/helpers/eventually.js';\nexport const e = eventually;"],
  ['a script imports a server', 'scripts/extra.ts', "import { mapError } from '../servers/kit/map-error.js';\nexport const m = mapError;"],
  ['domain imports Temporal', 'domain/risk/extra.ts', "import { sleep } from '@temporalio/workflow';\nexport const s = sleep;"],
  ['domain imports a Node built-in', 'domain/ledger/extra.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;"],
  ['domain imports a venue SDK', 'domain/market/extra.ts', "import ccxt from 'ccxt';\nexport const c = ccxt;"],
  ['domain imports the worker', 'domain/orders/extra.ts', "import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';\nexport const v = SimVenue;"],
  ['a workflow imports a Temporal client module', 'worker/workflows/risk/extra.ts', "import { readRiskState } from '../../../temporal/clients/risk.js';\nexport const r = readRiskState;"],
  ['a workflow imports an activity as a value', 'worker/workflows/risk/extra2.ts', "import { createRiskActivities } from '../../activities/risk/index.js';\nexport const a = createRiskActivities;"],
  ['a workflow imports the worker configuration', 'worker/workflows/ledger/extra.ts', "import { ledgerConfig } from '../../config/ledger-config.js';\nexport const c = ledgerConfig;"],
  ['a workflow imports zod', 'worker/workflows/market/extra.ts', "import { z } from 'zod';\nexport const s = z.string();"],
  ['a server imports ccxt', 'servers/market/tools/extra.ts', "import ccxt from 'ccxt';\nexport const c = ccxt;"],
  ['a server imports the worker', 'servers/ledger/tools/extra.ts', "import { createLedgerActivities } from '../../../worker/activities/ledger/index.js';\nexport const r = createLedgerActivities;"],
  ['temporal/ imports a server', 'temporal/clients/extra.ts', "import { ToolError } from '../../servers/kit/tool-error.js';\nexport const e = ToolError;"],
  ['temporal/ imports a workflow as a value', 'temporal/clients/extra2.ts', "import { riskWorkflow } from '../../worker/workflows/risk/risk-workflow.js';\nexport const w = riskWorkflow;"],
  ['temporal/ imports an activity', 'temporal/clients/extra3.ts', "import { createLedgerActivities } from '../../worker/activities/ledger/index.js';\nexport const r = createLedgerActivities;"],
  ['the contract imports domain logic', 'schemas/extra.ts', "import { money } from '../domain/money.js';\nexport const m = money;"],
  ['a workflow imports a runtime helper', 'worker/workflows/risk/extra4.ts', "import { linkedSignal } from '../../../runtime/linked-signal.js';\nexport const l = linkedSignal;"],
  ['domain imports a runtime helper', 'domain/risk/extra2.ts', "import { linkedSignal } from '../../runtime/linked-signal.js';\nexport const l = linkedSignal;"],
  ['a runtime helper imports a Temporal client module', 'runtime/extra.ts', "import { readRiskState } from '../temporal/clients/risk.js';\nexport const r = readRiskState;"],
  ['an agent imports the worker', 'agents/ensemble/extra.ts', "import { createWorker } from '../../worker/create-worker.js';\nexport const w = createWorker;"],
];

const allowed: Array<[string, string, string]> = [
  ['a server calls a typed client', 'servers/risk/tools/extra.ts', "import { readRiskState } from '../../../temporal/clients/risk.js';\nexport const r = readRiskState;"],
  ['temporal/ names a workflow by its type', 'temporal/clients/extra4.ts', "import type { riskWorkflow } from '../../worker/workflows/risk/risk-workflow.js';\nexport type W = typeof riskWorkflow;"],
  ['a workflow imports domain logic and the contract', 'worker/workflows/risk/extra3.ts', "import { money } from '../../../domain/money.js';\nimport { RISK_WORKFLOW } from '../../../schemas/temporal/risk.js';\nexport const x = [money, RISK_WORKFLOW];"],
  ['an activity uses a typed client', 'worker/activities/risk/extra.ts', "import { readRiskState } from '../../../temporal/clients/risk.js';\nexport const r = readRiskState;"],
  ['a script starts the worker', 'scripts/stack/extra.ts', "import { createWorker } from '../../worker/create-worker.js';\nexport const w = createWorker;"],
  ['an agent links a deadline through runtime/', 'agents/llm/providers/extra.ts', "import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';\nexport const l = linkedSignalWithTimeout;"],
  ['a server links a deadline through runtime/', 'servers/kit/extra.ts', "import { linkedSignal } from '../../runtime/linked-signal.js';\nexport const l = linkedSignal;"],
  ['a test imports anything', 'tests/unit/extra.test.ts', "import { ToolError } from '../../servers/kit/tool-error.js';\nimport { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';\nexport const x = [ToolError, SimVenue];"],
];

describe('the import matrix', () => {
  it.each(refused)('refuses: %s', async (_what, filePath, code) => {
    expect(await restricted(filePath, code)).not.toEqual([]);
  });

  it.each(allowed)('allows: %s', async (_what, filePath, code) => {
    expect(await restricted(filePath, code)).toEqual([]);
  });
});
