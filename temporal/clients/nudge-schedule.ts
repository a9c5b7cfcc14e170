/**
 * Owns the client side of an agent's nudge schedule (one Temporal schedule per agent that starts
 * the nudge workflow on an interval): creating it once, reading it, and changing its interval or
 * pause state.
 */
import type { Client, ScheduleDescription } from '@temporalio/client';
import { ENSEMBLE_NUDGE_WORKFLOW, nudgeScheduleId, nudgeWorkflowIdPrefix } from '../../schemas/temporal/ensemble.js';
import type { ensembleNudgeWorkflow } from '../../worker/workflows/agents/ensemble-nudge.js';

/** A schedule applies a change asynchronously: how long a change waits to see it applied. */
const APPLY_WAIT_MS = 5_000;
const APPLY_POLL_MS = 100;

export interface EnsuredSchedule {
  scheduleId: string;
  created: boolean;
  intervalSec: number;
}

export interface NudgeScheduleChange {
  interval_sec?: number;
  paused?: boolean;
}

/** The schedule's interval in seconds; NaN when it is not an interval schedule. */
export function nudgeIntervalSec(description: ScheduleDescription): number {
  const every = description.spec.intervals?.[0]?.every;
  return typeof every === 'number' ? every / 1000 : Number.NaN;
}

/** Creates the agent's nudge schedule unless it exists; repeated calls leave exactly one. */
export async function ensureNudgeSchedule(client: Client, taskQueue: string, agent: string, intervalSec: number): Promise<EnsuredSchedule> {
  // Imported on first use: servers start without loading the gRPC client.
  const { ScheduleAlreadyRunning, ScheduleOverlapPolicy } = await import('../client-sdk.js');
  const scheduleId = nudgeScheduleId(agent);
  try {
    await client.schedule.create<typeof ensembleNudgeWorkflow>({
      scheduleId,
      spec: { intervals: [{ every: `${intervalSec}s` }] },
      action: {
        type: 'startWorkflow',
        workflowType: ENSEMBLE_NUDGE_WORKFLOW,
        workflowId: nudgeWorkflowIdPrefix(agent),
        taskQueue,
        args: [{ agent }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      memo: { agent },
    });
    return { scheduleId, created: true, intervalSec };
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    const existing = nudgeIntervalSec(await client.schedule.getHandle(scheduleId).describe());
    return { scheduleId, created: false, intervalSec: Number.isNaN(existing) ? intervalSec : existing };
  }
}

/** The agent's nudge schedule, or null when it was never created. */
export async function describeNudgeSchedule(client: Client, agent: string): Promise<ScheduleDescription | null> {
  const { ScheduleNotFoundError } = await import('../client-sdk.js');
  try {
    return await client.schedule.getHandle(nudgeScheduleId(agent)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

/**
 * Applies a change in one update (so no second write can interleave with the first) and returns
 * the schedule once it shows the change, or as it stands after APPLY_WAIT_MS; null when the agent
 * has no schedule.
 */
export async function changeNudgeSchedule(client: Client, agent: string, change: NudgeScheduleChange): Promise<ScheduleDescription | null> {
  if (!(await describeNudgeSchedule(client, agent))) return null;
  const { interval_sec, paused } = change;
  const handle = client.schedule.getHandle(nudgeScheduleId(agent));
  await handle.update((previous) => ({
    ...previous,
    spec: interval_sec === undefined ? previous.spec : { ...previous.spec, intervals: [{ every: `${interval_sec}s` }] },
    state:
      paused === undefined
        ? previous.state
        : { ...previous.state, paused, note: paused ? 'paused through set_nudge_schedule' : 'resumed through set_nudge_schedule' },
  }));
  const applied = (d: ScheduleDescription) =>
    (interval_sec === undefined || nudgeIntervalSec(d) === interval_sec) && (paused === undefined || d.state.paused === paused);
  const deadline = Date.now() + APPLY_WAIT_MS;
  for (;;) {
    const description = await handle.describe();
    if (applied(description) || Date.now() >= deadline) return description;
    await new Promise((resolve) => setTimeout(resolve, APPLY_POLL_MS));
  }
}
