/**
 * Entities owned by other subgraphs, as this one refers to them: only their key. The gateway fetches
 * everything else from the owner (articles for Article, customers for Partner, offices for Office).
 */
export interface ArticleReference {
  articleNumber: string;
}

export interface PartnerReference {
  id: string;
}

export interface OfficeReference {
  id: string;
}

/** A UPI request as the resolvers draw it: the deep link, from which the QR codes are made when asked. */
export interface UpiRequest {
  deepLink: string;
}

export const officeReference = (id: string | null | undefined): OfficeReference | null => (id ? { id } : null);
