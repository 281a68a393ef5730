-- OTP-verified delivery: the articles given to a postman for a day (each time out is an attempt) with
-- the nonce each OTP is derived from (never the OTP itself), and the proof of each delivery (the OTP, or
-- a supervisor's approval without it), with the cash collected on delivery.
-- CreateEnum
CREATE TYPE "articles"."DeliveryProofKind" AS ENUM ('OTP', 'SUPERVISOR_APPROVAL');

-- CreateEnum
CREATE TYPE "articles"."CodCollectionMode" AS ENUM ('CASH', 'UPI');

-- CreateTable
CREATE TABLE "articles"."delivery_assignment" (
    "article_number" CHAR(13) NOT NULL,
    "attempt" INTEGER NOT NULL,
    "postman_id" TEXT NOT NULL,
    "delivery_date" DATE NOT NULL,
    "office_id" TEXT NOT NULL,
    "assigned_by" TEXT NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,
    "otp_required" BOOLEAN NOT NULL,
    "otp_nonce" CHAR(32),
    "otp_failures" INTEGER NOT NULL DEFAULT 0,
    "otp_issued_at" TIMESTAMPTZ(3),
    "otp_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "delivery_assignment_pkey" PRIMARY KEY ("article_number","attempt")
);

-- CreateTable
CREATE TABLE "articles"."article_delivery" (
    "article_number" CHAR(13) NOT NULL,
    "sequence" INTEGER NOT NULL,
    "proof_kind" "articles"."DeliveryProofKind" NOT NULL,
    "attempt" INTEGER,
    "received_by" TEXT NOT NULL,
    "approved_by" TEXT,
    "approval_reason" TEXT,
    "cod_collected_paise" INTEGER,
    "cod_mode" "articles"."CodCollectionMode",
    "delivered_by" TEXT NOT NULL,
    "delivered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "article_delivery_pkey" PRIMARY KEY ("article_number","sequence")
);

-- CreateIndex
CREATE INDEX "delivery_assignment_postman_id_delivery_date_idx" ON "articles"."delivery_assignment"("postman_id", "delivery_date");

-- AddForeignKey
ALTER TABLE "articles"."delivery_assignment" ADD CONSTRAINT "delivery_assignment_article_number_fkey" FOREIGN KEY ("article_number") REFERENCES "articles"."article"("article_number") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "articles"."article_delivery" ADD CONSTRAINT "article_delivery_article_number_fkey" FOREIGN KEY ("article_number") REFERENCES "articles"."article"("article_number") ON DELETE CASCADE ON UPDATE CASCADE;

