-- Hand-written (Prisma cannot declare a sequence that no column uses): one sequence per S10 service
-- indicator, the source of the 8-digit serial in every article number. A sequence hands out each value
-- once however many bookings run at the same time, without locks held to commit, so concurrent
-- bookings never collide; bulk booking takes n values in one statement
-- (SELECT nextval(...) FROM generate_series(1, n)). Values used by a rolled-back booking are not
-- reused, which leaves gaps: harmless, S10 does not require serials to be contiguous.
-- MAXVALUE is the largest 8-digit serial and NO CYCLE makes exhaustion an error rather than a reuse
-- of numbers already on articles. The indicators are the product catalogue's
-- (src/domain/tariffData.ts, exampleServiceIndicator); a test checks every product has its sequence.
-- Deliberately no column DEFAULT uses them: the numbers are formatted (check digit, "IN") in code.
CREATE SEQUENCE "articles"."s10_serial_ee" AS integer MINVALUE 1 MAXVALUE 99999999 NO CYCLE; -- Speed Post Document
CREATE SEQUENCE "articles"."s10_serial_ep" AS integer MINVALUE 1 MAXVALUE 99999999 NO CYCLE; -- Speed Post Parcel
CREATE SEQUENCE "articles"."s10_serial_rk" AS integer MINVALUE 1 MAXVALUE 99999999 NO CYCLE; -- Registered Post
CREATE SEQUENCE "articles"."s10_serial_cb" AS integer MINVALUE 1 MAXVALUE 99999999 NO CYCLE; -- Business Parcel
