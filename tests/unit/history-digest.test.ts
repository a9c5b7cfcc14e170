/**
 * A failing history as text: one line per recorded event, telling local activities, patches,
 * timers, signals and activities apart, read from real recorded histories; a long history keeps
 * its two ends and says how many events it left out.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { historyDigest } from '../../worker/replay/history-digest.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'histories');
const History = proto.temporal.api.history.v1.History;

function recorded(type: string): proto.temporal.api.history.v1.IHistoryEvent[] {
  const file = readdirSync(FIXTURES).find((f) => f.startsWith(`${type}--`));
  if (!file) throw new Error(`no recorded ${type} history`);
  return History.decode(readFileSync(join(FIXTURES, file))).events;
}

describe('historyDigest', () => {
  it('gives every event of a recorded order its line, naming what each marker and activity was', () => {
    const events = recorded('paperOrderWorkflow');
    const lines = historyDigest(events).split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines[0]).toMatch(/^#1 WORKFLOW_EXECUTION_STARTED \+0 ms$/);
    expect(lines.some((l) => /MARKER_RECORDED \+\d+ ms local activity loadPaperOrderSettings seq 1 attempt 1$/.test(l))).toBe(true);
    expect(lines.some((l) => /ACTIVITY_TASK_SCHEDULED \+\d+ ms activity (fetchOrderBookSnapshot|bookFills)$/.test(l))).toBe(true);
    // Times count from the first event and never go back.
    const times = lines.map((l) => Number(/\+(\d+) ms/.exec(l)?.[1]));
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] as number))).toBe(true);
  });

  it('names timers and signals', () => {
    const digest = ['riskWorkflow', 'intentBusWorkflow', 'tickStoreWorkflow', 'ensembleNudgeWorkflow'].map((t) => historyDigest(recorded(t))).join('\n');
    expect(digest).toMatch(/TIMER_STARTED \+\d+ ms timer \d+ for \d+ ms/);
    expect(digest).toMatch(/WORKFLOW_EXECUTION_SIGNALED \+\d+ ms signal \S+/);
  });

  it('keeps the first 60 and the last 240 events of a long history and counts the rest', () => {
    const events = recorded('tickStoreWorkflow');
    const long = Array.from({ length: Math.ceil(500 / events.length) }, () => events).flat().slice(0, 500);
    const lines = historyDigest(long).split('\n');
    expect(lines).toHaveLength(301);
    expect(lines[60]).toBe('… 200 events …');
  });
});
