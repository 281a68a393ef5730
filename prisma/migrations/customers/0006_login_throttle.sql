-- CreateTable
CREATE TABLE "customers"."login_throttle" (
    "email_hash" CHAR(64) NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("email_hash")
);

-- CreateIndex
CREATE INDEX "login_throttle_window_started_at_idx" ON "customers"."login_throttle"("window_started_at");

