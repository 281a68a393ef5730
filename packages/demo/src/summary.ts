import type { DemoDaySummary } from './demoDay';

/** Indian digit grouping (1,23,456), as a post office writes figures. */
const n = (value: number) => value.toLocaleString('en-IN');
const rupees = (paise: number) => `Rs ${(paise / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const PRODUCT_NAMES: Record<keyof DemoDaySummary['booked']['byProduct'], string> = {
  SPEED_POST_DOCUMENT: 'Speed Post Document',
  SPEED_POST_PARCEL: 'Speed Post Parcel',
  BUSINESS_PARCEL: 'Business Parcel',
};

function duration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 90) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** The end-of-day report the CLI prints: what the demo did, and what the graph says at the end. */
export function formatSummary(summary: DemoDaySummary): string[] {
  const { booked, paid } = summary;
  const perThousand = booked.total ? (summary.elapsedMs / booked.total) * 1000 : 0;
  const byReason = Object.entries(summary.failedAttempts.byReason)
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))
    .map(([reason, count]) => `${reason} ${n(count ?? 0)}`)
    .join(', ');
  const statuses = Object.entries(summary.statusesAtEnd)
    .sort(([, a], [, b]) => b - a)
    .map(([status, count]) => `${status} ${n(count)}`)
    .join(', ');
  const codByPartner = summary.partners
    .filter((partner) => partner.codCollectedPaise > 0)
    .map((partner) => `${partner.name} ${rupees(partner.codCollectedPaise)}`)
    .join(', ');
  return [
    `Demo day ${summary.day} (seed ${summary.seed}): ${n(booked.total)} articles in ${duration(summary.elapsedMs)} (${(perThousand / 1000).toFixed(1)} s per 1,000 articles), ${n(summary.requests)} requests${summary.rateLimitedWaits ? `, ${n(summary.rateLimitedWaits)} RATE_LIMITED waits` : ''}`,
    `  offices:          ${n(summary.offices.counters)} counters, ${n(summary.offices.deliveryOffices)} delivery offices, ${n(summary.offices.partnerWarehouses)} partner warehouses, in ${summary.offices.circles} circles; ${n(summary.staff.clerks)} clerks, ${n(summary.staff.postmen)} postmen`,
    `  booked:           ${n(booked.counter)} at counters, ${n(booked.partner)} by ${summary.partners.length} partners in bulk; ${Object.entries(booked.byProduct)
      .filter(([, count]) => count > 0)
      .map(([product, count]) => `${PRODUCT_NAMES[product as keyof typeof PRODUCT_NAMES]} ${n(count)}`)
      .join(', ')}`,
    `  paid:             at booking ${n(paid.atBooking.CASH)} cash, ${n(paid.atBooking.ACCOUNT)} on partners' accounts; later ${n(paid.later.UPI_QR)} by UPI QR (${n(paid.upiDeclined)} declined first and paid on a second QR), ${n(paid.later.CASH)} in cash`,
    `  out for delivery: ${n(summary.outForDelivery)}`,
    `  delivered:        ${n(summary.delivered)} (${n(summary.deliveredWithoutOtp)} on a supervisor's approval instead of the OTP)`,
    `  failed attempts:  ${n(summary.failedAttempts.total)}${byReason ? ` (${byReason})` : ''}`,
    `  returned:         ${n(summary.returned)} to their senders`,
    `  COD collected:    ${rupees(summary.codCollectedPaise)}${codByPartner ? ` (${codByPartner})` : ''}`,
    `  COD remitted:     ${rupees(summary.codRemittedPaise)}${summary.codRemittedPaise ? ` (${summary.partners[0]?.name ?? 'the first partner'}, paid)` : ''}`,
    `  synced offline:   ${n(summary.syncedOffline)} deliveries and attempts from postmen's handhelds`,
    `  the graph says:   ${statuses || 'nothing booked'}`,
  ];
}
