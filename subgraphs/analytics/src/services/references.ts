/**
 * Entities owned by the offices subgraph, as this one refers to them: only their key. The gateway fetches
 * names and the rest from offices.
 */
export interface OfficeReference {
  id: string;
}

/** A division, region or circle by its id. */
export interface GroupReference {
  id: string;
}

export const reference = (id: string | null | undefined): GroupReference | null => (id ? { id } : null);
