-- The rules of the books that Prisma cannot express, kept by the database so that no code path (a bug,
-- a hand-written statement in an incident) can break them.

-- Entries are facts: never changed, never removed. A mistake is corrected by a new transaction.
CREATE FUNCTION "payments"."ledger_is_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % on %.% is refused; record a correcting transaction instead', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "payments"."ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_is_append_only"();
CREATE TRIGGER "ledger_transaction_append_only" BEFORE UPDATE OR DELETE ON "payments"."ledger_transaction"
  FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_is_append_only"();
CREATE TRIGGER "ledger_entry_no_truncate" BEFORE TRUNCATE ON "payments"."ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_is_append_only"();
CREATE TRIGGER "ledger_transaction_no_truncate" BEFORE TRUNCATE ON "payments"."ledger_transaction"
  FOR EACH STATEMENT EXECUTE FUNCTION "payments"."ledger_is_append_only"();

-- Double entry: at commit, every transaction has at least two entries and they sum to zero. Deferred,
-- so a transaction's entries may be inserted in any order within the database transaction.
CREATE FUNCTION "payments"."ledger_check_balance"(txn text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  total numeric;
  entries integer;
BEGIN
  SELECT coalesce(sum(amount_paise), 0), count(*) INTO total, entries FROM "payments"."ledger_entry" WHERE transaction_id = txn;
  IF entries < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance: % entries summing to % paise', txn, entries, total
      USING ERRCODE = 'check_violation';
  END IF;
END
$$;

CREATE FUNCTION "payments"."ledger_entry_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "payments"."ledger_check_balance"(NEW.transaction_id);
  RETURN NULL;
END
$$;

CREATE FUNCTION "payments"."ledger_transaction_balances"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "payments"."ledger_check_balance"(NEW.id);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER "ledger_entry_balances" AFTER INSERT ON "payments"."ledger_entry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_entry_balances"();
CREATE CONSTRAINT TRIGGER "ledger_transaction_balances" AFTER INSERT ON "payments"."ledger_transaction"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "payments"."ledger_transaction_balances"();

ALTER TABLE "payments"."ledger_entry" ADD CONSTRAINT "ledger_entry_not_zero" CHECK ("amount_paise" <> 0);

-- Amounts: positive, and the parts add up.
ALTER TABLE "payments"."payment" ADD CONSTRAINT "payment_amounts" CHECK ("amount_paise" > 0 AND "taxable_paise" >= 0 AND "gst_paise" >= 0 AND "taxable_paise" + "gst_paise" = "amount_paise");
ALTER TABLE "payments"."remittance" ADD CONSTRAINT "remittance_amounts" CHECK ("gross_paise" >= 0 AND "net_paise" = "gross_paise" - "fees_paise" - "fee_gst_paise");

-- At most one open payment for an article's booking charge: a second QR for the same booking would let
-- the customer pay twice.
CREATE UNIQUE INDEX "payment_open_booking_key" ON "payments"."payment"("article_number") WHERE "status" = 'CREATED' AND "purpose" = 'BOOKING';
-- A payment is refunded at most once.
CREATE UNIQUE INDEX "payment_refund_of_key" ON "payments"."payment"("refund_of") WHERE "refund_of" IS NOT NULL;

-- What the relay reads: the few unpublished rows, in id order, without scanning the published ones.
CREATE INDEX "outbox_event_unpublished_idx" ON "payments"."outbox_event"("id") WHERE "published_at" IS NULL;
-- Collections not yet remitted, per partner: what createRemittance and the COD balance read.
CREATE INDEX "cod_collection_unremitted_idx" ON "payments"."cod_collection"("partner_id", "collected_at") WHERE "remittance_id" IS NULL;
