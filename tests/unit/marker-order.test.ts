/** A version marker after a local activity in the same workflow task is found; one before it, or in a later task, is not. */
import { describe, expect, it } from 'vitest';
import type proto from '@temporalio/proto';
import { markersAfterLocalActivities } from '../../worker/replay/marker-order.js';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

let nextId = 1;
// Event ids are Long in the generated type; the check only prints them.
const event = (attrs: Record<string, unknown>) => ({ eventId: nextId++, ...attrs }) as unknown as HistoryEvent;
const taskCompleted = () => event({ workflowTaskCompletedEventAttributes: {} });
const localActivity = () => event({ markerRecordedEventAttributes: { markerName: 'core_local_activity', details: {} } });
const patch = (id: string) =>
  event({
    markerRecordedEventAttributes: {
      markerName: 'core_patch',
      details: { 'patch-data': { payloads: [{ data: new TextEncoder().encode(JSON.stringify({ id, deprecated: false })) }] } },
    },
  });
const timer = () => event({ timerStartedEventAttributes: {} });

describe('markersAfterLocalActivities', () => {
  it('names a patch marker that follows a local activity in its workflow task', () => {
    const events = [taskCompleted(), localActivity(), timer(), patch('late-marker')];
    const problems = markersAfterLocalActivities(events);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^event \d+: version marker late-marker was recorded after a local activity in the same workflow task/);
  });

  it('accepts markers at the start of a task and a local activity in an earlier task', () => {
    const events = [taskCompleted(), patch('a'), patch('b'), localActivity(), timer(), taskCompleted(), patch('c'), localActivity()];
    expect(markersAfterLocalActivities(events)).toEqual([]);
  });

  it('reads a marker whose id cannot be decoded without failing', () => {
    const unreadable = event({ markerRecordedEventAttributes: { markerName: 'core_patch', details: { 'patch-data': { payloads: [{ data: new Uint8Array([0xff]) }] } } } });
    expect(markersAfterLocalActivities([taskCompleted(), localActivity(), unreadable])[0]).toContain('(unreadable)');
  });
});
