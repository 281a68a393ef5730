import type { Quote, QuoteLineItem, ValueAddedService } from '../domain';
import { VALUE_ADDED_SERVICES } from '../domain';

/** An article's charges as stored at booking (the article's `charges` JSON) and served as `Charges`. */
export interface StoredCharges {
  tariffVersion: string;
  lineItems: QuoteLineItem[];
  basePaise: number;
  discountPaise: number;
  servicesPaise: number;
  taxablePaise: number;
  gstPaise: number;
  totalPaise: number;
  unconfirmedRates: boolean;
}

export function chargesOf(quote: Quote): StoredCharges {
  return {
    tariffVersion: quote.tariffVersion,
    lineItems: quote.lineItems.map((line) => ({ ...line })),
    basePaise: quote.basePaise,
    discountPaise: quote.discountPaise,
    servicesPaise: quote.servicesPaise,
    taxablePaise: quote.taxablePaise,
    gstPaise: quote.gstPaise,
    totalPaise: quote.totalPaise,
    unconfirmedRates: quote.unconfirmedRates,
  };
}

/** The value-added services an article was charged for (its service lines), in catalogue order. */
export function servicesOf(charges: StoredCharges): ValueAddedService[] {
  const codes = new Set<string>(charges.lineItems.map((line) => line.code));
  return VALUE_ADDED_SERVICES.filter((service) => codes.has(service));
}
