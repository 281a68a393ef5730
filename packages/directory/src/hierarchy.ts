import { slugify } from './officeId';
import type { OfficeRecord } from './officeDirectory';

// The ids of the postal hierarchy, shared by every subgraph that keeps a copy of the directory so
// that ids agree across the graph. Circle and region ids are slugs of their names (so a filter may
// name them either way); division ids carry their region because one division name ("Bangalore
// South") occurs in two regions.

export const circleIdOf = (office: Pick<OfficeRecord, 'circle'>): string => slugify(office.circle);
export const regionIdOf = (office: Pick<OfficeRecord, 'region'>): string => slugify(office.region);
export const divisionIdOf = (office: Pick<OfficeRecord, 'region' | 'division'>): string =>
  `${slugify(office.region)}/${slugify(office.division)}`;
