/**
 * The double-entry ledger under every movement of money. An account is a name ("UPI_SETTLEMENT",
 * "COUNTER_CASH:<office id>", "COD_PAYABLE:<partner id>"); an entry moves paise into (debit, positive) or
 * out of (credit, negative) one account; a transaction's entries sum to zero, so money is never made
 * or lost, only moved. Balances are derived by summing entries, never stored. Entries are never changed:
 * a correction is a new transaction (the database refuses UPDATE and DELETE, 0002_ledger_rules.sql).
 *
 * The accounts, and how each movement posts (debit / credit):
 *  - a booking paid by UPI:           UPI_SETTLEMENT            / REVENUE (taxable) + GST_PAYABLE (GST)
 *  - a booking paid in cash:          COUNTER_CASH:<office>     / REVENUE + GST_PAYABLE
 *  - COD collected in cash (or UPI):  COUNTER_CASH:<delivery office> (or UPI_SETTLEMENT) / COD_PAYABLE:<partner>
 *  - a remittance made:               COD_PAYABLE:<partner> (gross) / REVENUE (COD fees) + GST_PAYABLE (on them)
 *                                     + REMITTANCE_PAYABLE:<partner> (net)
 *  - a remittance paid to the bank:   REMITTANCE_PAYABLE:<partner> / BANK
 *  - a refund:                        REFUNDS (taxable) + GST_PAYABLE (GST) / UPI_SETTLEMENT or COUNTER_CASH:<office>
 */

export type AccountKind =
  | 'UPI_SETTLEMENT'
  | 'COUNTER_CASH'
  | 'COD_PAYABLE'
  | 'REMITTANCE_PAYABLE'
  | 'REVENUE'
  | 'GST_PAYABLE'
  | 'REFUNDS'
  | 'BANK';

export const ACCOUNT_KINDS: readonly AccountKind[] = [
  'UPI_SETTLEMENT',
  'COUNTER_CASH',
  'COD_PAYABLE',
  'REMITTANCE_PAYABLE',
  'REVENUE',
  'GST_PAYABLE',
  'REFUNDS',
  'BANK',
];

/** Kinds kept per owner (an office's till, a partner's payable); the others are one national account. */
const OWNED: ReadonlySet<AccountKind> = new Set(['COUNTER_CASH', 'COD_PAYABLE', 'REMITTANCE_PAYABLE']);

/** COD of articles no partner booked: owed to counter senders, paid out by money order outside dakgraph. */
export const COUNTER_SENDERS = 'COUNTER';

export function account(kind: AccountKind, owner?: string | null): string {
  if (OWNED.has(kind)) {
    if (!owner) throw new Error(`a ${kind} account needs its owner`);
    if (owner.includes(':')) throw new Error(`an account owner cannot contain ":" (${owner})`);
    return `${kind}:${owner}`;
  }
  if (owner) throw new Error(`${kind} is one account; it has no owner`);
  return kind;
}

/** An account's kind and owner from its name. */
export function parseAccount(name: string): { kind: AccountKind; owner: string | null } {
  const at = name.indexOf(':');
  const kind = (at < 0 ? name : name.slice(0, at)) as AccountKind;
  if (!ACCOUNT_KINDS.includes(kind)) throw new Error(`unknown ledger account ${name}`);
  return { kind, owner: at < 0 ? null : name.slice(at + 1) };
}

export interface Entry {
  account: string;
  /** Debit positive, credit negative; never zero. */
  amountPaise: number;
}

export type TransactionKind = 'BOOKING_PAYMENT' | 'COD_COLLECTION' | 'REMITTANCE' | 'REMITTANCE_PAID' | 'REFUND';

export interface LedgerPosting {
  kind: TransactionKind;
  /** Unique per kind: what the transaction records (a payment id, an article number). Posting it twice is refused. */
  sourceKey: string;
  description: string;
  occurredAt: Date;
  articleNumber?: string | null;
  paymentId?: string | null;
  remittanceId?: string | null;
  entries: Entry[];
}

export class UnbalancedTransaction extends Error {}

/**
 * The entries with zero amounts dropped and the same accounts merged; throws unless what is left sums to
 * zero over at least two accounts. Every posting goes through it, and the database checks again at commit.
 */
export function balanced(entries: readonly Entry[]): Entry[] {
  const byAccount = new Map<string, number>();
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.amountPaise)) throw new UnbalancedTransaction(`an entry of ${entry.amountPaise} paise is not whole`);
    byAccount.set(entry.account, (byAccount.get(entry.account) ?? 0) + entry.amountPaise);
  }
  const merged = [...byAccount].filter(([, amount]) => amount !== 0).map(([account, amountPaise]) => ({ account, amountPaise }));
  const sum = merged.reduce((total, entry) => total + entry.amountPaise, 0);
  if (sum !== 0) throw new UnbalancedTransaction(`entries sum to ${sum} paise, not zero`);
  if (merged.length < 2) throw new UnbalancedTransaction('a transaction moves money between at least two accounts');
  return merged;
}

const debit = (accountName: string, amountPaise: number): Entry => ({ account: accountName, amountPaise });
const credit = (accountName: string, amountPaise: number): Entry => ({ account: accountName, amountPaise: -amountPaise });

/** Where money paid to the post office lands: the UPI settlement account, or the till of the counter that took it. */
export function receivingAccount(method: 'UPI_QR' | 'CASH' | 'UPI', officeId: string | null): string {
  if (method === 'CASH') return account('COUNTER_CASH', officeId);
  return account('UPI_SETTLEMENT');
}

/** A booking's charge paid: the money in, revenue and GST out. */
export function bookingPaymentEntries(received: string, taxablePaise: number, gstPaise: number): Entry[] {
  return balanced([debit(received, taxablePaise + gstPaise), credit(account('REVENUE'), taxablePaise), credit(account('GST_PAYABLE'), gstPaise)]);
}

/** COD collected at the door: held (till or settlement) and owed to the partner. */
export function codCollectionEntries(received: string, payableTo: string, amountPaise: number): Entry[] {
  return balanced([debit(received, amountPaise), credit(account('COD_PAYABLE', payableTo), amountPaise)]);
}

/** A remittance: the partner's COD payable cleared, less the COD fees (revenue) and their GST. */
export function remittanceEntries(partnerId: string, amounts: { grossPaise: number; feesPaise: number; feeGstPaise: number; netPaise: number }): Entry[] {
  return balanced([
    debit(account('COD_PAYABLE', partnerId), amounts.grossPaise),
    credit(account('REVENUE'), amounts.feesPaise),
    credit(account('GST_PAYABLE'), amounts.feeGstPaise),
    credit(account('REMITTANCE_PAYABLE', partnerId), amounts.netPaise),
  ]);
}

/** A remittance paid out of the bank. */
export function remittancePaidEntries(partnerId: string, netPaise: number): Entry[] {
  return balanced([debit(account('REMITTANCE_PAYABLE', partnerId), netPaise), credit(account('BANK'), netPaise)]);
}

/** A booking's charge paid back the way it came. */
export function refundEntries(paidFrom: string, taxablePaise: number, gstPaise: number): Entry[] {
  return balanced([debit(account('REFUNDS'), taxablePaise), debit(account('GST_PAYABLE'), gstPaise), credit(paidFrom, taxablePaise + gstPaise)]);
}
