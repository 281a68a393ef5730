import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createJetStreamTransport, type EventTransport } from '@dakgraph/events';
import { adminLogin, staffLogin, startGateway, startSubgraphs, until, type RunningGateway, type RunningSubgraphs } from './support/graph';

/**
 * Issue 11 through the gateway, on JetStream: a postman's whole day. The delivery office's clerk gives
 * him his beat; the addressees' OTPs reach them as SMS (read here from the file sender, the only place
 * an OTP exists in clear); he delivers with the OTP, gets one wrong and then right, locks one after five
 * wrong tries and has it reissued by his supervisor, fails one attempt, carries one until its attempts
 * run out and it goes back, and collects the cash of a COD parcel. Afterwards neither the database nor
 * anything the processes wrote holds an OTP.
 */
const PASSWORD = 'a long enough passphrase for tests';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const OFFICE = '400001-mumbai';
const party = (name: string, pincode: string, phone: string) => ({ name, phone, addressLines: ['12 Dalal Street'], pincode });

/** The IST day now, as the articles subgraph counts delivery days. */
const istToday = (): string => new Date(Date.now() + 5.5 * 3600 * 1000).toISOString().slice(0, 10);

interface Sms {
  id: string;
  to: string;
  template: string;
  text: string;
}

describe("a postman's day through the gateway", () => {
  let events: EventTransport;
  let subgraphs: RunningSubgraphs;
  let graph: RunningGateway;
  const tokens: Record<'admin' | 'clerk' | 'supervisor' | 'postman', string> = { admin: '', clerk: '', supervisor: '', postman: '' };
  let postmanId = '';
  let apiKey = '';
  /** Everything the processes printed while the test ran: no OTP may be in it. */
  const printed: string[] = [];
  const writes: { stream: NodeJS.WriteStream; write: NodeJS.WriteStream['write'] }[] = [];

  const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
  const call = async (who: keyof typeof tokens | 'partner', query: string, variables: Record<string, unknown> = {}) =>
    (await graph.post({ query, variables }, who === 'partner' ? { 'x-api-key': apiKey } : as(who))).body;
  const ok = async (who: keyof typeof tokens | 'partner', query: string, variables: Record<string, unknown> = {}) => {
    const body = await call(who, query, variables);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const login = async (email: string) => (await staffLogin(graph, email, PASSWORD)).token;
  let keyNo = 0;
  const key = (label: string) => `${label}-${++keyNo}-${randomBytes(3).toString('hex')}`;

  const smsLog = async (): Promise<Sms[]> => {
    const text = await readFile(subgraphs.smsLogPath, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Sms);
  };
  const smsFor = async (articleNumber: string): Promise<Sms[]> => (await smsLog()).filter((sms) => sms.text.includes(articleNumber));
  /** The OTP in the newest OTP-bearing SMS of an article, once `count` of them have arrived. */
  const otpFromSms = async (articleNumber: string, count = 1): Promise<string> =>
    until(`OTP SMS ${count} for ${articleNumber}`, async () => {
      const withOtp = (await smsFor(articleNumber)).filter((sms) => /\b\d{6}\b/.test(sms.text.replace(articleNumber, '')));
      return withOtp.length >= count ? /\b(\d{6})\b/.exec(withOtp[count - 1]!.text.replace(articleNumber, ''))![1]! : null;
    });

  const DELIVERY = 'delivery { attempt failedAttempts otpRequired otpLocked proofKind deliveredTo codCollected { amountPaise mode } }';
  const assign = (articleNumbers: string[]) =>
    ok('clerk', `mutation ($input: AssignForDeliveryInput!, $key: String!) { assignForDelivery(input: $input, idempotencyKey: $key) { articles { articleNumber status } } }`, {
      input: { postmanId, articleNumbers, date: istToday() },
      key: key('assign'),
    });
  const deliver = (articleNumber: string, otp: string | null, extra: Record<string, unknown> = {}) =>
    call('postman', `mutation ($input: DeliverArticleInput!, $key: String!) { deliverArticle(input: $input, idempotencyKey: $key) { article { articleNumber status ${DELIVERY} } } }`, {
      input: { articleNumber, otp, receivedBy: 'Priya Shah', ...extra },
      key: key('deliver'),
    });
  const attempt = (articleNumber: string, reason: string) =>
    ok('postman', `mutation ($input: DeliveryAttemptInput!, $key: String!) { recordDeliveryAttempt(input: $input, idempotencyKey: $key) { returnedToSender article { status ${DELIVERY} } } }`, {
      input: { articleNumber, reason },
      key: key('attempt'),
    });
  const wrong = (otp: string) => String((Number(otp) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr] as NodeJS.WriteStream[]) {
      const write = stream.write;
      writes.push({ stream, write });
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      }) as NodeJS.WriteStream['write'];
    }
    // Jest's console does not go through the streams: catch what the subgraphs log there too.
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
    }
    const stream = `DAKGRAPH_DELIVERY_TEST_${process.pid}_${randomBytes(4).toString('hex')}`;
    events = await createJetStreamTransport({ servers: [NATS_URL], stream, subjectPrefix: `test_${randomBytes(4).toString('hex')}` });
    subgraphs = await startSubgraphs({ events });
    graph = await startGateway(subgraphs);
    tokens.admin = (await adminLogin(graph, subgraphs.db, PASSWORD)).token;
    for (const [role, email] of [
      ['COUNTER_CLERK', 'clerk@gpo.test'],
      ['SUPERVISOR', 'supervisor@gpo.test'],
      ['POSTMAN', 'postman@gpo.test'],
    ] as const) {
      const made = await ok('admin', 'mutation ($input: CreateStaffUserInput!, $key: String!) { createStaffUser(input: $input, idempotencyKey: $key) { id } }', {
        input: { name: `GPO ${role}`, email, password: PASSWORD, role, officeId: OFFICE },
        key: `staff-${role}`,
      });
      if (role === 'POSTMAN') postmanId = made.createStaffUser.id;
    }
    tokens.clerk = await login('clerk@gpo.test');
    tokens.supervisor = await login('supervisor@gpo.test');
    tokens.postman = await login('postman@gpo.test');
    const partner = await ok(
      'admin',
      `mutation { createPartner(idempotencyKey: "partner-day", input: { name: "Acme Shop", contactEmail: "ops@acme.test", discountBasisPoints: 0, codAllowed: true,
        remittanceAccount: { holder: "Acme", accountNumber: "123456789012", ifsc: "SBIN0000691" } }) { id } }`,
    );
    apiKey = (await ok('admin', 'mutation ($id: ID!) { createApiKey(partnerId: $id, label: "wms", idempotencyKey: "apikey-day") { apiKey } }', { id: partner.createPartner.id })).createApiKey.apiKey;
  }, 240_000);

  afterAll(async () => {
    await graph?.stop();
    await subgraphs?.stop();
    await events?.close();
    for (const { stream, write } of writes) stream.write = write;
    jest.restoreAllMocks();
  });

  it('assigns, texts the OTPs, delivers, attempts, returns and collects, leaving no OTP anywhere', async () => {
    // The morning: seven parcels for Mumbai arrive at the GPO.
    const kinds = ['otp', 'typo', 'locked', 'attempt', 'return', 'cod', 'plain'] as const;
    const items = kinds.map((kind, i) => ({
      pickupPincode: '110001',
      sender: party('Acme Warehouse', '110001', '+919810000000'),
      recipient: party(`Buyer ${kind}`, '400001', `+9198200000${String(i).padStart(2, '0')}`),
      product: 'SPEED_POST_PARCEL',
      weightGrams: 500,
      ...(kind === 'cod' ? { codAmountPaise: 129_900 } : kind === 'attempt' || kind === 'return' || kind === 'plain' ? {} : { services: ['OTP_DELIVERY'] }),
    }));
    const booked = await ok('partner', 'mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { articles { articleNumber } } }', {
      items,
      key: key('book'),
    });
    const number = Object.fromEntries(kinds.map((kind, i) => [kind, booked.bookArticles.articles[i].articleNumber as string])) as Record<(typeof kinds)[number], string>;
    await ok('clerk', 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: Object.values(number).map((articleNumber) => ({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE' })),
      key: key('arrive'),
    });

    // His beat for today; every addressee is told, those who must give an OTP get one.
    const beat = await assign(Object.values(number));
    expect(beat.assignForDelivery.articles.map((a: { status: string }) => a.status)).toEqual(kinds.map(() => 'OUT_FOR_DELIVERY'));
    const otp = {
      otp: await otpFromSms(number.otp),
      typo: await otpFromSms(number.typo),
      locked: await otpFromSms(number.locked),
      cod: await otpFromSms(number.cod),
    };
    for (const kind of ['attempt', 'return', 'plain'] as const) {
      const texts = await until(`out-for-delivery SMS for ${kind}`, async () => ((await smsFor(number[kind])).length ? smsFor(number[kind]) : null));
      expect(texts).toHaveLength(1);
      expect(texts[0]!.text.replace(number[kind], '')).not.toMatch(/\b\d{6}\b/);
    }
    const first = await smsFor(number.otp);
    expect(first[0]).toMatchObject({ to: '+919820000000' });

    // Delivered with the OTP.
    const delivered = await deliver(number.otp, otp.otp);
    expect(delivered.errors).toBeUndefined();
    // Who took it is personal: the postman's answer leaves it out, the partner that booked it sees it.
    expect(delivered.data.deliverArticle.article).toMatchObject({ status: 'DELIVERED', delivery: { proofKind: 'OTP', deliveredTo: null } });
    const seenByPartner = await ok('partner', `query ($n: String!) { article(articleNumber: $n) { ${DELIVERY} } }`, { n: number.otp });
    expect(seenByPartner.article.delivery).toMatchObject({ proofKind: 'OTP', deliveredTo: 'Priya Shah' });

    // A typo, then the right one.
    const typo = await deliver(number.typo, wrong(otp.typo));
    expect(typo.errors[0].extensions).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: 4 });
    expect(typo.errors[0].message).not.toContain(otp.typo);
    expect((await deliver(number.typo, otp.typo)).data.deliverArticle.article.status).toBe('DELIVERED');

    // Five wrong tries lock it; even the right OTP is refused until the supervisor reissues it, and the new OTP is texted.
    for (let left = 4; left >= 0; left--) expect((await deliver(number.locked, wrong(otp.locked))).errors[0].extensions).toMatchObject({ code: 'OTP_INVALID', attemptsLeft: left });
    expect((await deliver(number.locked, otp.locked)).errors[0].extensions.code).toBe('OTP_LOCKED');
    await ok('supervisor', 'mutation ($n: String!, $key: String!) { reissueDeliveryOtp(articleNumber: $n, idempotencyKey: $key) { article { delivery { otpLocked } } } }', {
      n: number.locked,
      key: key('reissue'),
    });
    const reissued = await otpFromSms(number.locked, 2);
    expect(reissued).not.toBe(otp.locked);
    expect((await deliver(number.locked, otp.locked)).errors[0].extensions.code).toBe('OTP_INVALID');
    expect((await deliver(number.locked, reissued)).data.deliverArticle.article.status).toBe('DELIVERED');

    // Nobody home.
    const attempted = await attempt(number.attempt, 'ADDRESSEE_ABSENT');
    expect(attempted.recordDeliveryAttempt).toMatchObject({ returnedToSender: false, article: { status: 'DELIVERY_ATTEMPTED', delivery: { failedAttempts: 1 } } });

    // Three tries, then back to the sender.
    for (let round = 1; round <= 3; round++) {
      if (round > 1) await assign([number.return]);
      const tried = await attempt(number.return, 'PREMISES_LOCKED');
      expect(tried.recordDeliveryAttempt.returnedToSender).toBe(round === 3);
    }
    const returned = await ok('partner', 'query ($n: String!) { article(articleNumber: $n) { status events { type reason } } }', { n: number.return });
    expect(returned.article.status).toBe('RETURNED_TO_SENDER');
    expect(returned.article.events.at(-1)).toEqual({ type: 'RETURNED_TO_SENDER', reason: 'PREMISES_LOCKED' });

    // Cash on delivery: exactly the amount due, paid by UPI.
    expect((await deliver(number.cod, otp.cod, { codCollected: { amountPaise: 100_000, mode: 'UPI' } })).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const cod = await deliver(number.cod, otp.cod, { codCollected: { amountPaise: 129_900, mode: 'UPI' } });
    expect(cod.errors).toBeUndefined();
    expect(cod.data.deliverArticle.article.status).toBe('DELIVERED');
    const codSeen = await ok('partner', `query ($n: String!) { article(articleNumber: $n) { ${DELIVERY} } }`, { n: number.cod });
    expect(codSeen.article.delivery).toMatchObject({ proofKind: 'OTP', codCollected: { amountPaise: 129_900, mode: 'UPI' } });

    // The plain parcel needs no OTP.
    expect((await deliver(number.plain, null)).data.deliverArticle.article.status).toBe('DELIVERED');

    // The "delivered" SMS follows each delivery.
    for (const kind of ['otp', 'typo', 'locked', 'cod', 'plain'] as const) {
      await until(`delivered SMS for ${kind}`, async () => (await smsFor(number[kind])).some((sms) => /deliver/i.test(sms.template) && !/OUT_FOR/i.test(sms.template)));
    }

    // The beat at the end of the day, as his supervisor sees it.
    const { deliveryBeat } = await ok('supervisor', 'query ($p: ID!, $d: String!) { deliveryBeat(postmanId: $p, date: $d) { articleNumber status } }', { p: postmanId, d: istToday() });
    expect(Object.fromEntries(deliveryBeat.map((a: { articleNumber: string; status: string }) => [a.articleNumber, a.status]))).toEqual({
      [number.otp]: 'DELIVERED',
      [number.typo]: 'DELIVERED',
      [number.locked]: 'DELIVERED',
      [number.attempt]: 'DELIVERY_ATTEMPTED',
      [number.return]: 'RETURNED_TO_SENDER',
      [number.cod]: 'DELIVERED',
      [number.plain]: 'DELIVERED',
    });

    // No OTP in clear: not in any table a request writes, not in anything printed.
    const otps = [...Object.values(otp), reissued];
    const found = await otpsAtRest(subgraphs, otps);
    expect(found).toEqual([]);
    const log = printed.join('\n');
    // The capture works: the notification consumer's own lines are in it.
    expect(log).toContain('[notifications]');
    for (const code of otps) expect(log).not.toMatch(standalone(code));
  }, 180_000);

  it("syncs a handheld's offline deliveries: applied once, DUPLICATE when synced again, a late attempt put in its place", async () => {
    const kinds = ['otp', 'typo', 'attempt'] as const;
    const booked = await ok('partner', 'mutation ($items: [BookingItemInput!]!, $key: String!) { bookArticles(items: $items, idempotencyKey: $key) { articles { articleNumber } } }', {
      items: kinds.map((kind, i) => ({
        pickupPincode: '110001',
        sender: party('Acme Warehouse', '110001', '+919810000000'),
        recipient: party(`Offline buyer ${kind}`, '400001', `+9198210000${String(i).padStart(2, '0')}`),
        product: 'SPEED_POST_PARCEL',
        weightGrams: 500,
        services: ['OTP_DELIVERY'],
      })),
      key: key('book-offline'),
    });
    const number = Object.fromEntries(kinds.map((kind, i) => [kind, booked.bookArticles.articles[i].articleNumber as string])) as Record<(typeof kinds)[number], string>;
    await ok('clerk', 'mutation ($events: [TrackingEventInput!]!, $key: String!) { recordTrackingEvents(events: $events, idempotencyKey: $key) { events { sequence } } }', {
      events: Object.values(number).map((articleNumber) => ({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE' })),
      key: key('arrive-offline'),
    });
    await assign(Object.values(number));
    const otp = { otp: await otpFromSms(number.otp), typo: await otpFromSms(number.typo) };
    const device = await ok('postman', 'mutation ($key: String!) { registerDeliveryDevice(label: "beat 4 handheld", idempotencyKey: $key) { device { id postmanId } } }', { key: key('device') });
    expect(device.registerDeliveryDevice.device.postmanId).toBe(postmanId);
    const deviceId = device.registerDeliveryDevice.device.id as string;

    // Recorded on the handheld out of signal, a few seconds apart, and synced in one go.
    const at = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
    const batch = [
      { clientEventId: 'h-1', articleNumber: number.otp, kind: 'DELIVERED', occurredAt: at(2), otp: otp.otp, receivedBy: 'Priya Shah', location: { latitude: 18.93, longitude: 72.83 } },
      { clientEventId: 'h-2', articleNumber: number.typo, kind: 'DELIVERED', occurredAt: at(3), otp: wrong(otp.typo), receivedBy: 'Priya Shah' },
      { clientEventId: 'h-3', articleNumber: number.typo, kind: 'DELIVERED', occurredAt: at(4), otp: otp.typo, receivedBy: 'Priya Shah' },
    ];
    const SYNC = `mutation ($d: ID!, $e: [DeliverySyncEventInput!]!) { syncDeliveryEvents(deviceId: $d, events: $e) {
      applied duplicates rejected results { clientEventId outcome standing code otpAttemptsLeft article { articleNumber status } } } }`;
    const first = (await ok('postman', SYNC, { d: deviceId, e: batch })).syncDeliveryEvents;
    expect(first).toMatchObject({ applied: 2, duplicates: 0, rejected: 1 });
    expect(first.results.map((r: { outcome: string; code: string | null }) => [r.outcome, r.code])).toEqual([
      ['APPLIED', null],
      ['REJECTED', 'OTP_INVALID'],
      ['APPLIED', null],
    ]);
    expect(first.results[1].otpAttemptsLeft).toBe(4);
    const again = (await ok('postman', SYNC, { d: deviceId, e: [...batch].reverse() })).syncDeliveryEvents;
    expect(again).toMatchObject({ applied: 0, duplicates: 3, rejected: 0 });

    // The attempt on the third parcel synced after a later delivery of it: both stand, in the order they happened.
    const attemptOtp = await otpFromSms(number.attempt);
    const late = [
      { clientEventId: 'h-5', articleNumber: number.attempt, kind: 'DELIVERED', occurredAt: at(6), otp: attemptOtp, receivedBy: 'Neighbour' },
      { clientEventId: 'h-4', articleNumber: number.attempt, kind: 'ATTEMPTED', occurredAt: at(5), reason: 'ADDRESSEE_ABSENT' },
    ];
    await ok('postman', SYNC, { d: deviceId, e: [late[0]] });
    await ok('postman', SYNC, { d: deviceId, e: [late[1]] });
    const timeline = await ok('partner', `query ($n: String!) { article(articleNumber: $n) { status events { type } ${DELIVERY} } }`, { n: number.attempt });
    expect(timeline.article.status).toBe('DELIVERED');
    expect(timeline.article.events.map((e: { type: string }) => e.type).slice(-3)).toEqual(['OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'DELIVERED']);
    expect(timeline.article.delivery).toMatchObject({ proofKind: 'OTP', deliveredTo: 'Neighbour', failedAttempts: 1 });

    // Another postman cannot sync from this handheld.
    const other = await call('supervisor', SYNC, { d: deviceId, e: batch });
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await otpsAtRest(subgraphs, [otp.otp, otp.typo])).toEqual([]);
  }, 120_000);
});

/** A code standing alone between non-alphanumerics (so 123456 is not "found" inside an id or a number). */
const standalone = (code: string): RegExp => new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`);

/**
 * Every table of every schema, as text, searched for each code. The read-only office directory (the
 * offices schema, and the copies articles keeps) is left out: no request writes it, and 154,874 offices
 * with six-digit pincodes would "contain" OTPs by chance.
 */
async function otpsAtRest(subgraphs: RunningSubgraphs, codes: readonly string[]): Promise<string[]> {
  const tables = await subgraphs.db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN ('articles', 'customers') AND table_name NOT IN ('office_ref', 'pincode_ref')`,
  );
  const found: string[] = [];
  for (const { schema, name } of tables) {
    const rows = await subgraphs.db.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${name}" AS t`);
    for (const { row } of rows) {
      for (const code of codes) if (standalone(code).test(row)) found.push(`${schema}.${name}: ${code}`);
    }
  }
  return found;
}
