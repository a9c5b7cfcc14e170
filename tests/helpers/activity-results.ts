/**
 * The results a workflow's activities returned, as its history records them: an activity's in its
 * completed event, a local activity's in its marker. Tests read the inputs a workflow decided on
 * (the book an order filled against) from here, whichever kind of activity fetched them.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

// An activity that returns nothing records an empty payload.
const decode = (data: Uint8Array | null | undefined): unknown[] => (data && data.length > 0 ? [JSON.parse(Buffer.from(data).toString('utf8')) as unknown] : []);

export function activityResults(events: readonly HistoryEvent[]): unknown[] {
  return events.flatMap((e) => {
    const completed = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data;
    if (completed) return decode(completed);
    const marker = e.markerRecordedEventAttributes;
    // Local activity markers hold their result under "result"; patch markers hold none.
    return marker?.markerName === 'core_local_activity' ? decode(marker.details?.result?.payloads?.[0]?.data) : [];
  });
}
