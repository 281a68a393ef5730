/**
 * Entities owned by other subgraphs, as this one refers to them: only their key. The gateway fetches
 * everything else from the owner (offices for Office, customers for Customer).
 */
export interface OfficeReference {
  id: string;
}

export interface CustomerReference {
  id: string;
}

export const officeReference = (id: string | null | undefined): OfficeReference | null => (id ? { id } : null);
