/**
 * Where one order's time went, from its history: every event after the start, as milliseconds
 * since the start, with what it was (the activity or local activity it ran, the update it took),
 * so the bench can print the latency breakdown of an order beside its round trip.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const EventType = proto.temporal.api.enums.v1.EventType;

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const eventMs = (e: HistoryEvent): number => {
  const t = e.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : Number.NaN;
};

/** The event's name without its prefix, and what it names (activity type, update name, marker). */
function label(e: HistoryEvent, activityTypes: Map<string, string>): string {
  const name = (EventType[e.eventType ?? 0] ?? 'UNKNOWN').replace(/^EVENT_TYPE_/, '').toLowerCase();
  const scheduled = e.activityTaskScheduledEventAttributes;
  if (scheduled) return `${name} ${scheduled.activityType?.name ?? ''}`;
  const ofActivity =
    e.activityTaskStartedEventAttributes?.scheduledEventId ?? e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId;
  if (ofActivity != null) return `${name} ${activityTypes.get(String(ofActivity)) ?? ''}`;
  const marker = e.markerRecordedEventAttributes;
  if (marker) {
    const data = marker.details?.data?.payloads?.[0]?.data;
    const type = data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type : undefined;
    return `local activity ${type ?? marker.markerName ?? ''}`;
  }
  const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
  if (update) return `${name} ${update}`;
  const signal = e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName;
  if (signal) return `${name} ${signal}`;
  return name;
}

/** One line per event of the workflow's latest run: "+ms event". */
export async function orderTimeline(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const start = events[0] ? eventMs(events[0]) : 0;
  const activityTypes = new Map<string, string>();
  const lines: string[] = [];
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) activityTypes.set(String(e.eventId), scheduled.activityType?.name ?? '');
    lines.push(`+${String(eventMs(e) - start).padStart(5)} ms  ${label(e, activityTypes)}`);
  }
  return lines;
}
