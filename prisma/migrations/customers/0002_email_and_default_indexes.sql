-- Hand-written (Prisma cannot express expression or partial indexes).
-- Emails are unique ignoring case: "Asha@Example.in" and "asha@example.in" reach the same mailbox, so
-- they must not be two accounts. Emails are stored as entered and looked up by lower(email), which
-- these indexes also serve (login, sign-up, the create-admin command).
CREATE UNIQUE INDEX "customer_email_lower_key" ON "customers"."customer" (lower("email"));
CREATE UNIQUE INDEX "staff_user_email_lower_key" ON "customers"."staff_user" (lower("email"));
-- A customer has at most one default address; the code moves the flag, this keeps two writers honest.
CREATE UNIQUE INDEX "address_one_default_per_customer_key" ON "customers"."address" ("customer_id") WHERE "is_default";
