/**
 * The committed corpus of histories (tests/fixtures/histories/, recorded from an `npm start` run
 * with `npm run replay -- --save tests/fixtures/histories`) replays against the current workflow
 * code. A failure here means a change would break workflows already running: version it with
 * patched() instead of changing the code path in place.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { replayHistoryFiles } from '../../worker/replay/history-files.js';
import { repoRoot } from '../helpers/mcp-servers.js';

const corpus = join(repoRoot, 'tests', 'fixtures', 'histories');

describe('recorded histories', () => {
  it('cover every long-lived and per-call workflow of a trading run', () => {
    const types = new Set(readdirSync(corpus).map((f) => f.split('--')[0]));
    for (const type of ['agentInboxWorkflow', 'ensembleNudgeWorkflow', 'promptDeliveryWorkflow', 'selectPairsWorkflow', 'marketStreamWorkflow', 'tickStoreWorkflow', 'riskWorkflow', 'intentSubmissionWorkflow', 'intentBusWorkflow', 'paperOrderWorkflow', 'executionLedgerWorkflow']) {
      expect(types, `no recorded ${type}`).toContain(type);
    }
  });

  it('replay against the current workflow code without a determinism error', async () => {
    const report = await replayHistoryFiles(corpus, inject('workflowBundlePath'));
    expect(report.failures).toEqual([]);
    expect(report.replayed).toBe(readdirSync(corpus).length);
  }, 120_000);
});
