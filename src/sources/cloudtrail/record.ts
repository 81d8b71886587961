import type { CloudTrailEventEvidence } from '../../core/evidence.js';
import type { ScenarioWriter, SourceRead } from '../../core/recording.js';
import { itemsOf, text } from '../record.js';

/**
 * The events a CloudTrail source kept, as LookupEvents answered them, into the account's
 * `cloudtrail.events`; the events it read and dropped (unrelated changes, calls that were not
 * denied) are counted in what the recording left out. A replay looks them up the same way and
 * keeps the same ones.
 */
export function recordTrail(read: SourceRead<'cloudtrail.changes' | 'cloudtrail.denies'>, w: ScenarioWriter): void {
  const kept = new Set(((read.evidence ?? []) as CloudTrailEventEvidence[]).map((e) => e.eventId));
  let dropped = 0;
  for (const call of read.calls) {
    if (call.service !== 'cloudtrail' || call.operation !== 'LookupEvents' || !call.output) continue;
    for (const event of itemsOf(call.output, 'Events')) {
      const EventId = text(event.EventId);
      if (EventId && kept.has(EventId)) w.put(call.accountId, ['cloudtrail', 'events', { EventId }], event);
      else dropped++;
    }
  }
  if (dropped > 0 && read.row) w.leftOut(`${read.row.source}: ${dropped.toLocaleString('en-US')} CloudTrail event(s) read that the source did not keep (not about the API, or not denied)`);
}
