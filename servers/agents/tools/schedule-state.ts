/** The nudge schedule as the agents tools report it, or null when it was never created. */
import type { Client, ScheduleDescription } from '@temporalio/client';
import { nudgeScheduleId } from '../../../schemas/temporal/ensemble.js';

export interface ScheduleState {
  schedule_id: string;
  interval_sec: number;
  paused: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  recent_runs: number;
}

export function scheduleState(description: ScheduleDescription): ScheduleState {
  const every = description.spec.intervals?.[0]?.every;
  const recent = description.info.recentActions;
  return {
    schedule_id: description.scheduleId,
    interval_sec: typeof every === 'number' ? every / 1000 : Number.NaN,
    paused: description.state.paused,
    next_run_at: description.info.nextActionTimes[0]?.toISOString() ?? null,
    last_run_at: recent.length ? (recent[recent.length - 1]?.scheduledAt.toISOString() ?? null) : null,
    recent_runs: description.info.numActionsTaken,
  };
}

export async function describeNudgeSchedule(client: Client, agent: string): Promise<ScheduleDescription | null> {
  const { ScheduleNotFoundError } = await import('@temporalio/client');
  try {
    return await client.schedule.getHandle(nudgeScheduleId(agent)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}
