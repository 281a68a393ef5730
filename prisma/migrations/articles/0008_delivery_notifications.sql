-- SMS notifications of delivery: how often each assignment's current OTP was texted again on request
-- (resendDeliveryOtp allows 3 per article per IST day; the OTP itself is still never stored), and the
-- record of events the articles subgraph's own consumers handled (the notification consumer marks an event
-- only after its SMS was accepted, so a redelivered event is not texted twice).
-- AlterTable
ALTER TABLE "articles"."delivery_assignment" ADD COLUMN     "otp_resends" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "articles"."processed_event" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_event_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "processed_event_processed_at_idx" ON "articles"."processed_event"("processed_at");

