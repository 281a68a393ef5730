-- Domain events of the articles subgraph, written in the transaction of the change they describe
-- (a transactional outbox). The relay publishes unpublished rows in id order (UUIDv7, time-ordered) and
-- marks them; the hourly purge deletes published rows older than EVENT_RETENTION_HOURS.
CREATE TABLE "articles"."outbox_event" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "claimed_until" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "outbox_event_published_at_idx" ON "articles"."outbox_event"("published_at");

-- What the relay reads: the few unpublished rows, in id order, without scanning the published ones.
CREATE INDEX "outbox_event_unpublished_idx" ON "articles"."outbox_event"("id") WHERE "published_at" IS NULL;
