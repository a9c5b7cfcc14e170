import { setNudgeSchedule } from '../../../schemas/agents.js';
import { nudgeScheduleId } from '../../../schemas/temporal/ensemble.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { describeNudgeSchedule, scheduleState, type ScheduleState } from './schedule-state.js';

/** A schedule applies a change asynchronously: how long a read waits to see it. */
const APPLY_WAIT_MS = 5_000;
const APPLY_POLL_MS = 100;

export const setNudgeScheduleTool = defineTool(setNudgeSchedule, async ({ agent, interval_sec, paused }, { temporal }) => {
  if (interval_sec === undefined && paused === undefined) {
    throw new ToolError('NOTHING_TO_CHANGE', 'neither interval_sec nor paused was given', 'Pass interval_sec (seconds) and/or paused (true or false).', false);
  }
  const client = await temporal.client();
  if (!(await describeNudgeSchedule(client, agent))) {
    throw new ToolError(
      'NO_SCHEDULE',
      `${agent} has no nudge schedule yet`,
      'Select pairs first with select_pairs: it creates the schedule.',
      false,
    );
  }
  const handle = client.schedule.getHandle(nudgeScheduleId(agent));
  // One update carries both changes, so no second write can interleave with the first.
  await handle.update((previous) => ({
    ...previous,
    spec: interval_sec === undefined ? previous.spec : { ...previous.spec, intervals: [{ every: `${interval_sec}s` }] },
    state:
      paused === undefined
        ? previous.state
        : { ...previous.state, paused, note: paused ? 'paused through set_nudge_schedule' : 'resumed through set_nudge_schedule' },
  }));
  const applied = (s: ScheduleState) => (interval_sec === undefined || s.interval_sec === interval_sec) && (paused === undefined || s.paused === paused);
  const deadline = Date.now() + APPLY_WAIT_MS;
  for (;;) {
    const state = scheduleState(await handle.describe());
    if (applied(state) || Date.now() >= deadline) return { agent, schedule: state };
    await new Promise((resolve) => setTimeout(resolve, APPLY_POLL_MS));
  }
});
