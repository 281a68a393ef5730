import type { TrackingEventResolvers } from '../__generated__/resolvers-types';
import { EVENT_DEFINITIONS, eventWording } from '../domain';
import { officeReference } from '../services/references';

export const TrackingEvent: TrackingEventResolvers = {
  upuCode: (event) => EVENT_DEFINITIONS[event.type].upuCode,
  description: (event) => eventWording({ type: event.type, reason: event.reason }),
  occurredAt: (event) => event.occurredAt.toISOString(),
  office: (event) => officeReference(event.officeId),
  nextOffice: (event) => officeReference(event.nextOfficeId),
};
