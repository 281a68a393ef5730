import { newId } from '@dakgraph/graphql-kit';
import { balanced, parseAccount, type AccountKind, type LedgerPosting } from '../domain';
import type { PaymentsPrisma, PaymentsTx } from '../db';

/**
 * Writes ledger transactions: two statements for any number of them (the transactions, then all their
 * entries), each entry list checked to balance first; the database checks again at commit. A posting
 * whose (kind, source key) is already in the ledger is skipped with its entries: the same callback
 * delivered ten times, or an event redelivered, makes one transaction. Returns how many were new.
 */
export async function postTransactions(tx: PaymentsTx, postings: readonly LedgerPosting[]): Promise<number> {
  if (postings.length === 0) return 0;
  const checked = postings.map((posting) => ({ ...posting, id: newId('ltx'), entries: balanced(posting.entries) }));
  const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO payments.ledger_transaction (id, kind, source_key, article_number, payment_id, remittance_id, description, occurred_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bpchar[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
     ON CONFLICT (kind, source_key) DO NOTHING
     RETURNING id`,
    checked.map((p) => p.id),
    checked.map((p) => p.kind),
    checked.map((p) => p.sourceKey),
    checked.map((p) => p.articleNumber ?? null),
    checked.map((p) => p.paymentId ?? null),
    checked.map((p) => p.remittanceId ?? null),
    checked.map((p) => p.description),
    checked.map((p) => p.occurredAt.toISOString()),
  );
  const posted = new Set(inserted.map((row) => row.id));
  const entries = checked.filter((p) => posted.has(p.id)).flatMap((p) => p.entries.map((entry) => ({ transactionId: p.id, ...entry })));
  if (entries.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO payments.ledger_entry (transaction_id, account, amount_paise)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
      entries.map((e) => e.transactionId),
      entries.map((e) => e.account),
      entries.map((e) => String(e.amountPaise)),
    );
  }
  return posted.size;
}

export interface AccountBalance {
  name: string;
  kind: AccountKind;
  owner: string | null;
  balancePaise: number;
}

export interface LedgerView {
  accounts: AccountBalance[];
  totalPaise: number;
  transactionCount: number;
}

/** Balances derived from the entries (never stored), one statement; `kind` narrows to accounts of that kind. */
export async function ledgerView(prisma: PaymentsPrisma | PaymentsTx, kind?: AccountKind | null): Promise<LedgerView> {
  const rows = await prisma.$queryRawUnsafe<{ account: string; balance: string }[]>(
    `SELECT account, sum(amount_paise)::text AS balance FROM payments.ledger_entry GROUP BY account ORDER BY account`,
  );
  const accounts = rows
    .map((row) => ({ name: row.account, ...parseAccount(row.account), balancePaise: Number(row.balance) }))
    .filter((a) => !kind || a.kind === kind);
  const all = rows.reduce((sum, row) => sum + BigInt(row.balance), 0n);
  const [count] = await prisma.$queryRawUnsafe<{ n: string }[]>(`SELECT count(*)::text AS n FROM payments.ledger_transaction`);
  return { accounts, totalPaise: Number(all), transactionCount: Number(count?.n ?? 0) };
}
