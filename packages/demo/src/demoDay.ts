import { createHash, createHmac } from 'node:crypto';
import { sharedOfficeDirectory } from '@dakgraph/directory';
import { signCallback } from '@dakgraph/payments';
import { GraphClient, GraphRefusal, inParallel, runAliased, type Credential } from './graphClient';
import {
  ASSIGN,
  ASSIGN_WITH_EVENTS,
  ATTEMPT,
  BOOK_AT_COUNTER,
  BOOK_BULK,
  CREATE_API_KEY,
  CREATE_PARTNER,
  CREATE_PAYMENT,
  CREATE_REMITTANCE,
  CREATE_STAFF,
  DELIVER,
  DELIVER_WITHOUT_OTP,
  LOGIN,
  MARK_REMITTANCE_PAID,
  PARTNER_COD,
  RECORD_EVENTS,
  REGISTER_DEVICE,
  REVOKE_API_KEY,
  SYNC,
  TRACK,
} from './operations';
import { personName } from './people';
import { planDemoDay, type AttemptReason, type DemoDayPlan, type DemoProduct, type PlanDirectory, type PlannedArticle, type PlannedPartner } from './plan';
import { randomStream } from './random';

/**
 * Demo day: a realistic day of India Post booked, paid, moved and delivered through the gateway, over
 * HTTP, exactly as counters, partners, the payment provider and postmen's handhelds would. Nothing goes
 * around the graph, so whatever the demo shows, the API does.
 *
 * The day: the admin opens accounts (a clerk per counter office, postmen per delivery office, partners
 * and their API keys); counters book (cash, or LATER and paid by UPI QR or cash through payments) and
 * partners book in bulk (some with COD); mail is bagged, sorted at the division's head office and
 * received at the delivery office; postmen go out and deliver, fail attempts, send some back, and record
 * some deliveries offline on their handhelds; OTP articles are delivered on a supervisor's approval
 * (the OTP reaches the addressee's phone, which the demo does not have). At the end the graph is asked
 * where every article stands.
 *
 * Every mutation carries an idempotency key made of the seed, the IST day and the article's place in
 * the plan: a request retried after a dropped connection is answered from the first, and running the
 * demo again with the same seed on the same day resumes it instead of booking a second day.
 */

export interface DemoDayOptions {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  gatewayUrl: string;
  /** An ADMIN staff account (npm start makes one from DAKGRAPH_ADMIN_EMAIL and DAKGRAPH_ADMIN_PASSWORD). */
  admin: { email: string; password: string };
  /** How many articles to book. */
  articles: number;
  /** The same seed gives the same day (1 unless given). */
  seed?: number;
  /** The payment provider's callback signing secret (PSP_CALLBACK_SECRET; `whsec_...`). */
  pspCallbackSecret: string;
  log?: (line: string) => void;
  /** Requests in flight at once (4 unless given). */
  concurrency?: number;
  /** The office directory to plan with; the one the graph imports (`sharedOfficeDirectory()`) unless given. */
  directory?: PlanDirectory;
  /** Told as each phase of the day ends: its name, how long it took and how many requests it sent (bench/national-day.mjs times the day with it). */
  onPhase?: (phase: { name: string; ms: number; requests: number }) => void;
}

export interface DemoDaySummary {
  seed: number;
  /** The IST day the articles were booked and delivered on. */
  day: string;
  offices: { counters: number; deliveryOffices: number; partnerWarehouses: number; circles: number };
  staff: { clerks: number; postmen: number };
  booked: { total: number; counter: number; partner: number; byProduct: Record<DemoProduct, number> };
  paid: {
    /** Paid as they were booked: cash at the counter, or on a partner's account. */
    atBooking: { CASH: number; ACCOUNT: number };
    /** Booked LATER and paid through the payments subgraph. */
    later: { UPI_QR: number; CASH: number };
    /** UPI payments the payer's app declined first (paid on a second QR). */
    upiDeclined: number;
  };
  /** Given to postmen (each article once, however many times it went out). */
  outForDelivery: number;
  delivered: number;
  /** Of those, delivered on a supervisor's approval instead of the addressee's OTP. */
  deliveredWithoutOtp: number;
  failedAttempts: { total: number; byReason: Partial<Record<AttemptReason, number>> };
  returned: number;
  codCollectedPaise: number;
  /** The COD remitted at the end of the day (the first partner's, which is remitted daily). */
  codRemittedPaise: number;
  /** Deliveries and attempts recorded offline on a handheld and synced afterwards. */
  syncedOffline: number;
  /** Bagging, dispatch and arrival events recorded between booking and delivery. */
  movementEvents: number;
  /** Where the graph says the articles stand at the end, by status. */
  statusesAtEnd: Record<string, number>;
  partners: { id: string; name: string; booked: number; codCollectedPaise: number }[];
  /** Every article booked, in plan order. */
  articleNumbers: string[];
  requests: number;
  rateLimitedWaits: number;
  elapsedMs: number;
}

/** Batch sizes: the graph's own maxima (bookArticles and recordTrackingEvents 1,000, assignForDelivery, trackArticles and syncDeliveryEvents 500). */
const MAX_BULK_ITEMS = 1_000;
const MAX_EVENTS_PER_BATCH = 1_000;
const MAX_TRACKED = 500;
const MAX_SYNCED = 500;
/** A returned article is tried until the graph sends it back (MAX_DELIVERY_ATTEMPTS, 3 by default); past this something is wrong. */
const MAX_ROUNDS = 10;
const APPROVAL_REASON = 'Addressee identified against Aadhaar at the door; the OTP SMS had not reached their phone';

const istDate = (at: Date): string => new Date(at.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 10);
const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 10);
const chunked = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
};
const count = (n: number) => n.toLocaleString('en-IN');
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

interface StaffAccount {
  id: string;
  email: string;
  password: string;
  token: string;
}

interface PartnerAccount {
  plan: PlannedPartner;
  id: string;
  apiKey: string;
  apiKeyId: string;
}

interface BookedArticle {
  plan: PlannedArticle;
  articleNumber: string;
  bookingOfficeId: string;
}

/** One postman's beat: the articles he takes out today. */
interface Beat {
  deliveryOffice: number;
  postman: number;
  articles: BookedArticle[];
}

/** What the day counts as it goes. */
interface Tally {
  paidLater: { UPI_QR: number; CASH: number };
  upiDeclined: number;
  outForDelivery: number;
  delivered: number;
  deliveredWithoutOtp: number;
  attempts: Partial<Record<AttemptReason, number>>;
  returned: number;
  codCollectedPaise: number;
  codByPartner: Map<number, number>;
  syncedOffline: number;
  movementEvents: number;
}

/** What every step of one run shares. */
interface Day {
  client: GraphClient;
  plan: DemoDayPlan;
  seed: number;
  /** The IST date, YYYY-MM-DD. */
  date: string;
  admin: { token: string };
  tally: Tally;
  /** Independent pieces of work (counters, beats) run side by side; the client caps requests in flight. */
  parallel: number;
  /** An idempotency key of this day's demo (8 to 128 characters, as the graph asks). */
  key(...parts: (string | number)[]): string;
}

export async function runDemoDay(options: DemoDayOptions): Promise<DemoDaySummary> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? 1;
  const day = istDate(new Date());
  const client = new GraphClient({ url: options.gatewayUrl, log, maxInFlight: options.concurrency ?? 4 });
  const parallel = options.concurrency ?? 4;
  /** An idempotency key of this day's demo (8 to 128 characters, as the graph asks). */
  const dayKey = (...parts: (string | number)[]) => `demo-s${seed}-${day}-${parts.join('-')}`;

  const plan = planDemoDay({ articles: options.articles, seed, directory: options.directory ?? sharedOfficeDirectory() });
  const circles = new Set([...plan.counterOffices, ...plan.deliveryOffices].map((office) => office.circle));
  log(
    `Demo day ${day}, seed ${seed}: ${plural(plan.articles.length, 'article')} from ${plural(plan.counterOffices.length, 'counter')} and ` +
      `${plural(plan.partners.length, 'partner')} to ${plural(plan.deliveryOffices.length, 'delivery office')} in ${plural(circles.size, 'circle')}, through ${options.gatewayUrl}`,
  );
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    const requestsBefore = client.stats.requests;
    const result = await work();
    log(`  ${name}: ${((Date.now() - at) / 1000).toFixed(1)} s, ${count(client.stats.requests - requestsBefore)} requests`);
    options.onPhase?.({ name, ms: Date.now() - at, requests: client.stats.requests - requestsBefore });
    return result;
  };

  const admin = await login(client, options.admin.email, options.admin.password, 'log in as the admin');
  const tally: Tally = {
    paidLater: { UPI_QR: 0, CASH: 0 },
    upiDeclined: 0,
    outForDelivery: 0,
    delivered: 0,
    deliveredWithoutOtp: 0,
    attempts: {},
    returned: 0,
    codCollectedPaise: 0,
    codByPartner: new Map(),
    syncedOffline: 0,
    movementEvents: 0,
  };
  const run: Day = { client, plan, seed, date: day, admin, tally, parallel, key: dayKey };

  const { clerks, postmen } = await phase('staff accounts and logins', () => openStaffAccounts(run, options.admin.password, admin.role));
  const partners = await phase('partners and API keys', () => openPartners(run));
  let statusesAtEnd: Record<string, number> = {};
  let booked: BookedArticle[] = [];
  let codRemittedPaise = 0;
  try {
    booked = await phase('bookings', () => bookTheDay(run, clerks, partners));
    log(`  booked ${count(booked.length)} articles`);
    await phase('payments of LATER bookings', () => payLaterBookings(run, booked, clerks, options.pspCallbackSecret));
    await phase('bagging, sorting and arrival', () => moveTheMail(run, booked));
    await phase('delivery', () => deliverTheDay(run, booked, postmen));
    codRemittedPaise = await phase("the first partner's COD remitted", () => remitFirstPartner(run, partners));
    statusesAtEnd = await phase('where every article stands', () => statusesOf(run, booked.map((article) => article.articleNumber)));
  } finally {
    // The keys were made for this run (an idempotent replay cannot show a key again); none outlives it.
    await revokeKeys(run, partners, log);
  }

  const byProduct: Record<DemoProduct, number> = { SPEED_POST_DOCUMENT: 0, SPEED_POST_PARCEL: 0, BUSINESS_PARCEL: 0 };
  for (const article of plan.articles) byProduct[article.product] += 1;
  const counterArticles = plan.articles.filter((article) => article.channel === 'COUNTER');
  const cashAtCounter = counterArticles.filter((article) => article.channel === 'COUNTER' && article.settlement === 'CASH').length;
  const attemptsTotal = Object.values(tally.attempts).reduce((sum, n) => sum + (n ?? 0), 0);
  return {
    seed,
    day,
    offices: {
      counters: plan.counterOffices.length,
      deliveryOffices: plan.deliveryOffices.length,
      partnerWarehouses: plan.partners.reduce((sum, partner) => sum + partner.warehouses.length, 0),
      circles: circles.size,
    },
    staff: { clerks: clerks.length, postmen: postmen.flat().length },
    booked: { total: booked.length, counter: counterArticles.length, partner: plan.articles.length - counterArticles.length, byProduct },
    paid: {
      atBooking: { CASH: cashAtCounter, ACCOUNT: plan.articles.length - counterArticles.length },
      later: tally.paidLater,
      upiDeclined: tally.upiDeclined,
    },
    outForDelivery: tally.outForDelivery,
    delivered: tally.delivered,
    deliveredWithoutOtp: tally.deliveredWithoutOtp,
    failedAttempts: { total: attemptsTotal, byReason: tally.attempts },
    returned: tally.returned,
    codCollectedPaise: tally.codCollectedPaise,
    codRemittedPaise,
    syncedOffline: tally.syncedOffline,
    movementEvents: tally.movementEvents,
    statusesAtEnd,
    partners: partners.map((partner, i) => ({
      id: partner.id,
      name: partner.plan.name,
      booked: plan.articles.filter((article) => article.channel === 'PARTNER' && article.partner === i).length,
      codCollectedPaise: tally.codByPartner.get(i) ?? 0,
    })),
    articleNumbers: booked.map((article) => article.articleNumber),
    requests: client.stats.requests,
    rateLimitedWaits: client.stats.rateLimitedWaits,
    elapsedMs: Date.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------------
// Accounts

async function login(client: GraphClient, email: string, password: string, step: string): Promise<{ id: string; token: string; role: string | null }> {
  const data = await client.call<{ login: { token: string; viewer: { kind: string; role: string | null; staff: { id: string } | null } } }>(
    step,
    LOGIN,
    { email, password },
    null,
    email,
  );
  return { id: data.login.viewer.staff?.id ?? '', token: data.login.token, role: data.login.viewer.role };
}

/**
 * A staff password the demo can give again on the next run without keeping it anywhere: derived from the
 * admin's password, so it is no more guessable than that, and the same account replays from its key.
 */
function staffPassword(adminPassword: string, seed: number, email: string): string {
  return createHmac('sha256', adminPassword).update(`dakgraph-demo-staff|${seed}|${email}`).digest('base64url').slice(0, 24);
}

/**
 * Staff accounts per request. Each account hashes its password (scrypt, ~0.1-0.2 s) and a request's
 * mutations run one after another, so small requests side by side let the server hash several at once.
 */
const STAFF_PER_REQUEST = 8;

/** A clerk at every counter office and the postmen of every delivery office, made by the admin, then each logged in. */
async function openStaffAccounts(run: Day, adminPassword: string, adminRole: string | null): Promise<{ clerks: StaffAccount[]; postmen: StaffAccount[][] }> {
  const { client, plan, admin, parallel } = run;
  if (adminRole !== 'ADMIN') {
    throw new GraphRefusal('log in as the admin', [{ message: `The account logged in as ${adminRole ?? 'a non-staff account'}; the demo needs an ADMIN to open staff accounts and partners`, extensions: { code: 'FORBIDDEN' } }], 200);
  }
  const names = randomStream(plan.seed, 'staff-names');
  const wanted: { role: 'COUNTER_CLERK' | 'POSTMAN'; officeId: string; email: string; name: string; key: string }[] = [];
  for (const office of plan.counterOffices) {
    const email = `clerk.${shortHash(office.id)}.s${plan.seed}@demo.dakgraph.invalid`;
    wanted.push({ role: 'COUNTER_CLERK', officeId: office.id, email, name: personName(names), key: `demo-s${plan.seed}-clerk-${shortHash(office.id)}` });
  }
  plan.deliveryOffices.forEach((office) => {
    for (let p = 0; p < office.postmen; p++) {
      const email = `postman${p + 1}.${shortHash(office.id)}.s${plan.seed}@demo.dakgraph.invalid`;
      wanted.push({ role: 'POSTMAN', officeId: office.id, email, name: personName(names), key: `demo-s${plan.seed}-postman-${shortHash(office.id)}-${p + 1}` });
    }
  });
  const items = wanted.map((staff) => ({
    input: { name: staff.name, email: staff.email, password: staffPassword(adminPassword, plan.seed, staff.email), role: staff.role, officeId: staff.officeId },
    key: staff.key,
  }));
  const made = (
    await inParallel(chunked(items, STAFF_PER_REQUEST), parallel, (chunk, c) =>
      runAliased<{ id: string }>(client, 'open staff accounts', CREATE_STAFF, chunk, { token: admin.token }, (i) => wanted[c * STAFF_PER_REQUEST + i]!.email),
    )
  ).flat();
  const accounts = await inParallel(wanted, parallel, async (staff, i) => {
    const password = items[i]!.input.password;
    const session = await login(client, staff.email, password, `log in ${staff.role === 'POSTMAN' ? 'a postman' : 'a counter clerk'}`);
    return { id: made[i]!.id, email: staff.email, password, token: session.token };
  });
  const clerks = accounts.slice(0, plan.counterOffices.length);
  const postmen: StaffAccount[][] = [];
  let at = plan.counterOffices.length;
  for (const office of plan.deliveryOffices) {
    postmen.push(accounts.slice(at, at + office.postmen));
    at += office.postmen;
  }
  return { clerks, postmen };
}

/**
 * The partners (the same ones on every run of a seed: their keys replay) and an API key each for this
 * run: the graph shows a key once, so a key made by an earlier run cannot be had again.
 */
async function openPartners(run: Day): Promise<PartnerAccount[]> {
  const { client, plan, admin, key: dayKey } = run;
  if (!plan.partners.length) return [];
  const made = await runAliased<{ id: string; name: string }>(
    client,
    'open partners',
    CREATE_PARTNER,
    plan.partners.map((partner) => ({
      input: {
        name: partner.name,
        contactEmail: partner.contactEmail.replace('@', `+s${plan.seed}@`),
        discountBasisPoints: partner.discountBasisPoints,
        codAllowed: partner.codAllowed,
        remittanceAccount: partner.remittanceAccount,
      },
      key: `demo-s${plan.seed}-partner-${partner.key}`,
    })),
    { token: admin.token },
    (i) => plan.partners[i]!.name,
  );
  const stamp = Date.now().toString(36);
  const keys = await runAliased<{ apiKey: string | null; key: { id: string; prefix: string } }>(
    client,
    'make partner API keys',
    CREATE_API_KEY,
    plan.partners.map((partner, i) => ({ partnerId: made[i]!.id, label: `demo day ${run.date}, seed ${plan.seed}, run ${stamp}`, key: dayKey('apikey', partner.key, stamp) })),
    { token: admin.token },
    (i) => plan.partners[i]!.name,
  );
  return plan.partners.map((partner, i) => {
    const apiKey = keys[i]!.apiKey;
    if (!apiKey) throw new GraphRefusal('make partner API keys', [{ message: `The graph answered ${partner.name}'s new key as a replay, without the key`, extensions: { code: 'CONFLICT' } }], 200);
    return { plan: partner, id: made[i]!.id, apiKey, apiKeyId: keys[i]!.key.id };
  });
}

async function revokeKeys(run: Day, partners: readonly PartnerAccount[], log: (line: string) => void): Promise<void> {
  const { client, admin } = run;
  for (const partner of partners) {
    try {
      await client.call('revoke the run\'s API keys', REVOKE_API_KEY, { id: partner.apiKeyId }, { token: admin.token }, partner.plan.name);
    } catch (error) {
      log(`Could not revoke ${partner.plan.name}'s demo key ${partner.apiKeyId} (revoke it with revokeApiKey): ${(error as Error).message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Remittance

/**
 * The first partner is on daily remittance: once payments has every COD the postmen collected for it
 * (it records them from article.delivered, a moment after each delivery), the admin remits them and
 * marks the transfer paid. A resumed run finds today's remittance and finishes it instead of making a
 * second one (createRemittance's period ends now, so a new request could not replay the first).
 * Returns the COD remitted, in paise.
 */
async function remitFirstPartner(run: Day, partners: readonly PartnerAccount[]): Promise<number> {
  const { client, admin, tally } = run;
  const partner = partners[0];
  const collected = tally.codByPartner.get(0) ?? 0;
  if (!partner || collected === 0) return 0;
  const step = "remit the first partner's COD";
  type Seen = { partner: { codBalance: { collectedPaise: number }; remittances: { nodes: { id: string; status: string; grossPaise: number; createdAt: string }[] } } };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const seen = (await client.call<Seen>(step, PARTNER_COD, { id: partner.id }, { token: admin.token }, partner.plan.name)).partner;
    const today = seen.remittances.nodes.filter((remittance) => istDate(new Date(remittance.createdAt)) === run.date);
    const remitted = today.reduce((sum, remittance) => sum + remittance.grossPaise, 0);
    const open = today.find((remittance) => remittance.status === 'CREATED');
    if (open) {
      await client.call(step, MARK_REMITTANCE_PAID, { id: open.id, utr: `DEMO${open.id.slice(-12).toUpperCase()}`, key: run.key('remittance-paid', open.id) }, { token: admin.token }, partner.plan.name);
      continue;
    }
    if (remitted + seen.codBalance.collectedPaise >= collected && seen.codBalance.collectedPaise > 0) {
      const made = await client.call<{ createRemittance: { id: string } }>(
        step,
        CREATE_REMITTANCE,
        { partnerId: partner.id, periodEnd: new Date().toISOString(), key: run.key('remittance', partner.plan.key, Date.now().toString(36)) },
        { token: admin.token },
        partner.plan.name,
      );
      await client.call(step, MARK_REMITTANCE_PAID, { id: made.createRemittance.id, utr: `DEMO${made.createRemittance.id.slice(-12).toUpperCase()}`, key: run.key('remittance-paid', made.createRemittance.id) }, { token: admin.token }, partner.plan.name);
      continue;
    }
    if (remitted >= collected) return remitted;
    if (Date.now() > deadline) {
      throw new GraphRefusal(step, [{ message: `payments holds ${seen.codBalance.collectedPaise + remitted} of the ${collected} paise collected for ${partner.plan.name} after 2 minutes`, extensions: { code: 'TIMEOUT' } }], 200);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// ---------------------------------------------------------------------------------------------------
// Booking

function bookingFieldsOf(article: PlannedArticle) {
  return {
    sender: article.sender,
    recipient: article.recipient,
    product: article.product,
    weightGrams: article.weightGrams,
    ...(article.dimensionsCm ? { dimensionsCm: article.dimensionsCm } : {}),
    ...(article.declaredValuePaise !== undefined ? { declaredValuePaise: article.declaredValuePaise } : {}),
    ...(article.codAmountPaise !== undefined ? { codAmountPaise: article.codAmountPaise } : {}),
    services: article.services,
  };
}

/**
 * Partners book in batches of 1,000 with their own keys (counted against the key, not the demo's
 * address); each counter books its queue fifty to a request under its clerk's login. Both at once.
 */
async function bookTheDay(run: Day, clerks: readonly StaffAccount[], partners: readonly PartnerAccount[]): Promise<BookedArticle[]> {
  const { client, plan, parallel, key: dayKey } = run;
  const booked: BookedArticle[] = new Array(plan.articles.length);
  const partnerBatches = partners.flatMap((partner, p) =>
    chunked(
      plan.articles.filter((article) => article.channel === 'PARTNER' && article.partner === p),
      MAX_BULK_ITEMS,
    ).map((articles, batch) => ({ partner, articles, key: dayKey('bulk', partner.plan.key, batch) })),
  );
  const counterQueues = clerks.map((clerk, office) => ({ clerk, office, articles: plan.articles.filter((article) => article.channel === 'COUNTER' && article.counterOffice === office) }));

  const bookPartnerBatches = inParallel(partnerBatches, 2, async ({ partner, articles, key }) => {
    const items = articles.map((article) => {
      if (article.channel !== 'PARTNER') throw new Error('a counter article in a partner batch');
      return { pickupPincode: partner.plan.warehouses[article.warehouse]!.pincode, ...bookingFieldsOf(article) };
    });
    const data = await client.call<{ bookArticles: { count: number; articles: { articleNumber: string; bookingOffice: { id: string } }[] } }>(
      'partner bulk booking',
      BOOK_BULK,
      { items, key },
      { apiKey: partner.apiKey },
      `${partner.plan.name}, ${items.length} articles`,
    );
    data.bookArticles.articles.forEach((answer, i) => {
      booked[articles[i]!.index] = { plan: articles[i]!, articleNumber: answer.articleNumber, bookingOfficeId: answer.bookingOffice.id };
    });
  });
  const bookAtCounters = inParallel(counterQueues, parallel, async ({ clerk, office, articles }) => {
    const answers = await runAliased<{ article: { articleNumber: string; status: string; bookingOffice: { id: string } } }>(
      client,
      'counter booking',
      BOOK_AT_COUNTER,
      articles.map((article) => ({
        input: { ...bookingFieldsOf(article), payment: article.channel === 'COUNTER' && article.settlement === 'CASH' ? 'CASH' : 'LATER' },
        key: dayKey('counter', article.index),
      })),
      { token: clerk.token },
      (i) => `article ${articles[i]!.index} at ${plan.counterOffices[office]!.id}`,
    );
    answers.forEach((answer, i) => {
      booked[articles[i]!.index] = { plan: articles[i]!, articleNumber: answer.article.articleNumber, bookingOfficeId: answer.article.bookingOffice.id };
    });
  });
  await Promise.all([bookPartnerBatches, bookAtCounters]);
  return booked;
}

// ---------------------------------------------------------------------------------------------------
// Payments

/** A 12-digit provider transaction id (like a UPI RRN), the same for the same payment on every run. */
const providerTransactionId = (reference: string, attempt: number) => String(100_000_000_000 + (parseInt(shortHash(`${reference}|${attempt}`), 16) % 900_000_000_000));

/**
 * LATER bookings are paid through the payments subgraph, by the clerk of the counter that booked them:
 * cash into the till, or a UPI QR that the simulated provider pays with a signed callback to the
 * gateway's /payments/callback (some payers' apps decline first, and a second QR is paid). A capture
 * books the article through payments' event and articles' consumer, so the step ends when the graph
 * shows every one BOOKED.
 */
async function payLaterBookings(run: Day, booked: readonly BookedArticle[], clerks: readonly StaffAccount[], pspCallbackSecret: string): Promise<void> {
  const { client, seed, tally, parallel, key: dayKey } = run;
  const later = booked.filter((article) => article.plan.channel === 'COUNTER' && article.plan.settlement !== 'CASH');
  if (!later.length) return;
  const byCounter = new Map<number, BookedArticle[]>();
  for (const article of later) {
    if (article.plan.channel !== 'COUNTER') continue;
    byCounter.set(article.plan.counterOffice, [...(byCounter.get(article.plan.counterOffice) ?? []), article]);
  }
  type Created = { id: string; reference: string; amountPaise: number; status: string; method: 'UPI_QR' | 'CASH' };
  const ask = (articles: readonly BookedArticle[], clerk: StaffAccount, attempt: number, method: (article: BookedArticle) => 'UPI_QR' | 'CASH') =>
    runAliased<Created>(
      client,
      'ask for payment',
      CREATE_PAYMENT,
      articles.map((article) => ({ input: { articleNumber: article.articleNumber, method: method(article) }, key: dayKey('pay', article.plan.index, attempt) })),
      { token: clerk.token },
      (i) => articles[i]!.articleNumber,
    );
  const callback = async (article: BookedArticle, payment: Created, attempt: number, status: 'SUCCESS' | 'FAILURE') => {
    const payer = article.plan.channel === 'COUNTER' ? article.plan.payerVpa : 'payer@upi';
    // The message id is the payment's and the attempt's: a rerun's callback is a replay the provider would send.
    const signed = signCallback(
      pspCallbackSecret,
      { reference: payment.reference, status, amountPaise: payment.amountPaise, providerTransactionId: providerTransactionId(payment.reference, attempt), payerVpa: payer },
      { id: `msg_demo_${seed}_${payment.reference}_${attempt}` },
    );
    const answer = await client.postCallback(signed);
    const expected = status === 'SUCCESS' ? ['CAPTURED', 'ALREADY_PAID'] : ['FAILED'];
    if (answer.status !== 200 || !(expected.includes(String(answer.body.outcome)) || answer.body.replayed === true)) {
      const errors = Array.isArray(answer.body.errors)
        ? (answer.body.errors as { message: string; extensions?: Record<string, unknown> }[])
        : [{ message: `HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}` }];
      throw new GraphRefusal('payment provider callback', errors, answer.status, `${article.articleNumber}, payment ${payment.reference}`);
    }
  };

  await inParallel([...byCounter.entries()], parallel, async ([office, articles]) => {
    const clerk = clerks[office]!;
    const methodOf = (article: BookedArticle) => (article.plan.channel === 'COUNTER' && article.plan.settlement === 'LATER_CASH' ? 'CASH' : 'UPI_QR');
    const first = await ask(articles, clerk, 1, methodOf);
    const declined: BookedArticle[] = [];
    // Payers pay their QR codes independently, so the provider's callbacks arrive side by side.
    await inParallel(articles, parallel, async (article, i) => {
      const payment = first[i]!;
      if (payment.method === 'CASH') {
        tally.paidLater.CASH += 1;
      } else if (article.plan.channel === 'COUNTER' && article.plan.settlement === 'LATER_UPI_DECLINED_FIRST') {
        await callback(article, payment, 1, 'FAILURE');
        tally.upiDeclined += 1;
        declined.push(article);
      } else {
        await callback(article, payment, 1, 'SUCCESS');
        tally.paidLater.UPI_QR += 1;
      }
    });
    if (!declined.length) return;
    // Plan order, so the second requests' idempotency keys and variables are the same on a resumed run.
    declined.sort((a, b) => a.plan.index - b.plan.index);
    const second = await ask(declined, clerk, 2, () => 'UPI_QR');
    await inParallel(declined, parallel, async (article, i) => {
      await callback(article, second[i]!, 2, 'SUCCESS');
      tally.paidLater.UPI_QR += 1;
    });
  });

  const numbers = later.map((article) => article.articleNumber);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const statuses = await trackStatuses(client, numbers, null, parallel);
    // BOOKED, or further on when a run is resumed: anything but still waiting for its payment.
    const cancelled = numbers.filter((number) => statuses.get(number) === 'CANCELLED');
    if (cancelled.length) {
      throw new GraphRefusal(
        'wait for paid bookings to be BOOKED',
        [{ message: `${cancelled.length} paid articles (${cancelled.slice(0, 3).join(', ')}) were CANCELLED: their payments expired before the callbacks (PAYMENT_EXPIRY_MINUTES) or they went unpaid past UNPAID_BOOKING_HOURS`, extensions: { code: 'CONFLICT' } }],
        200,
      );
    }
    const waiting = numbers.filter((number) => statuses.get(number) === 'AWAITING_PAYMENT');
    if (!waiting.length) return;
    if (Date.now() > deadline) {
      throw new GraphRefusal(
        'wait for paid bookings to be BOOKED',
        [{ message: `${waiting.length} paid articles (${waiting.slice(0, 3).join(', ')}) are still AWAITING_PAYMENT 2 minutes after their payments were captured: is the articles subgraph consuming payment.captured (its articles-payments consumer; NATS_URL when the subgraphs run apart)?`, extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        200,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Each article's status, asked 500 at a time (trackArticles' most) as the public would. */
async function trackStatuses(client: GraphClient, numbers: readonly string[], credential: Credential, parallel: number): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await inParallel(chunked(numbers, MAX_TRACKED), parallel, async (chunk) => {
    const data = await client.call<{ trackArticles: ({ articleNumber: string; status: string } | null)[] }>('track articles', TRACK, { numbers: chunk }, credential);
    data.trackArticles.forEach((article, i) => statuses.set(chunk[i]!, article?.status ?? 'UNKNOWN'));
  });
  return statuses;
}

async function statusesOf(run: Day, numbers: readonly string[]): Promise<Record<string, number>> {
  const statuses = await trackStatuses(run.client, numbers, { token: run.admin.token }, run.parallel);
  const counts: Record<string, number> = {};
  for (const status of statuses.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------------
// Transit

interface TrackingEvent {
  articleNumber: string;
  type: 'BAGGED' | 'BAG_DISPATCHED' | 'RECEIVED_AT_SORTING' | 'DISPATCHED_FROM_SORTING' | 'ARRIVED_AT_DELIVERY_OFFICE';
  officeId: string;
  nextOfficeId?: string;
}

/**
 * An article's way from its booking office to its delivery office: bagged and dispatched to the head
 * office of the delivery office's division, received and sorted there, dispatched on, received at the
 * delivery office. Mail for an office's own area goes straight to its delivery branch; an article still
 * in transit at the end of the day stops on the way.
 */
function journeyOf(article: BookedArticle, plan: DemoDayPlan): TrackingEvent[] {
  const destination = plan.deliveryOffices[article.plan.deliveryOffice]!;
  const { articleNumber, bookingOfficeId: origin } = article;
  const inTransit = article.plan.fate.kind === 'IN_TRANSIT' ? article.plan.fate : null;
  if (origin === destination.id) return inTransit ? [] : [{ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE', officeId: destination.id }];
  const events: TrackingEvent[] = [{ articleNumber, type: 'BAGGED', officeId: origin }];
  const hub = destination.hubId && destination.hubId !== origin ? destination.hubId : null;
  if (hub) {
    events.push({ articleNumber, type: 'BAG_DISPATCHED', officeId: origin, nextOfficeId: hub });
    if (inTransit && !inTransit.reachesHub) return events;
    events.push({ articleNumber, type: 'RECEIVED_AT_SORTING', officeId: hub });
    if (inTransit) return events;
    events.push({ articleNumber, type: 'DISPATCHED_FROM_SORTING', officeId: hub, nextOfficeId: destination.id });
  } else {
    events.push({ articleNumber, type: 'BAG_DISPATCHED', officeId: origin, nextOfficeId: destination.id });
    if (inTransit) return events;
  }
  events.push({ articleNumber, type: 'ARRIVED_AT_DELIVERY_OFFICE', officeId: destination.id });
  return events;
}

/**
 * The day's movement in batches of up to 1,000 events (an article's events never split between two, so
 * batches touch different articles and can run side by side). Recorded by the admin, who may record at
 * any office: the demo has no sorting staff of its own at the hubs.
 */
async function moveTheMail(run: Day, booked: readonly BookedArticle[]): Promise<void> {
  const { client, plan, admin, parallel, key: dayKey } = run;
  const batches: TrackingEvent[][] = [];
  let batch: TrackingEvent[] = [];
  for (const article of booked) {
    const journey = journeyOf(article, plan);
    if (batch.length + journey.length > MAX_EVENTS_PER_BATCH) {
      batches.push(batch);
      batch = [];
    }
    batch.push(...journey);
  }
  if (batch.length) batches.push(batch);
  run.tally.movementEvents = batches.reduce((sum, events) => sum + events.length, 0);
  await inParallel(batches, Math.min(2, parallel), (events, b) =>
    client.call('record tracking events', RECORD_EVENTS, { events, key: dayKey('move', b) }, { token: admin.token }, `batch ${b + 1} of ${batches.length}`),
  );
}

// ---------------------------------------------------------------------------------------------------
// Delivery

/**
 * Every beat at once (as many as the client lets in flight): given out by the admin (the delivery
 * offices have no counter staff of their own in the demo), then worked by its postman.
 */
async function deliverTheDay(run: Day, booked: readonly BookedArticle[], postmen: readonly StaffAccount[][]): Promise<void> {
  const { plan } = run;
  const beats: Beat[] = [];
  plan.deliveryOffices.forEach((office, d) => {
    for (let p = 0; p < office.postmen; p++) {
      const articles = booked.filter((article) => article.plan.fate.kind !== 'IN_TRANSIT' && article.plan.deliveryOffice === d && article.plan.postman === p);
      if (articles.length) beats.push({ deliveryOffice: d, postman: p, articles });
    }
  });
  await inParallel(beats, run.parallel, (beat) => workBeat(run, beat, postmen[beat.deliveryOffice]![beat.postman]!));
}

async function workBeat(run: Day, beat: Beat, postman: StaffAccount): Promise<void> {
  const { client, plan, admin, tally, key: dayKey } = run;
  const office = plan.deliveryOffices[beat.deliveryOffice]!;
  const beatName = `${office.id} beat ${beat.postman + 1}`;
  const offline = beat.articles.filter((article) => article.plan.fate.kind !== 'IN_TRANSIT' && 'recordedBy' in article.plan.fate && article.plan.fate.recordedBy === 'HANDHELD');
  const assign = async (articles: readonly BookedArticle[], round: number) => {
    const data = await client.call<{ assignForDelivery: { articles: { articleNumber: string; status: string; events?: { type: string; occurredAt: string }[] }[] } }>(
      'give out a beat',
      round === 1 && offline.length ? ASSIGN_WITH_EVENTS : ASSIGN,
      { input: { postmanId: postman.id, articleNumbers: articles.map((article) => article.articleNumber), date: run.date }, key: dayKey('beat', shortHash(office.id), beat.postman, round) },
      { token: admin.token },
      `${beatName}, round ${round}`,
    );
    return data.assignForDelivery.articles;
  };
  const given = await assign(beat.articles, 1);
  tally.outForDelivery += beat.articles.length;

  const byFate = <K extends PlannedArticle['fate']['kind']>(kind: K, recordedBy?: string) =>
    beat.articles.filter((article) => article.plan.fate.kind === kind && (recordedBy === undefined || ('recordedBy' in article.plan.fate && article.plan.fate.recordedBy === recordedBy)));
  const postmanCredential = { token: postman.token };

  // At the door, online: deliveries that need no OTP, and failed attempts (the first try of those going back).
  const deliveredAtDoor = byFate('DELIVERED', 'POSTMAN');
  await runAliased(
    client,
    'deliver',
    DELIVER,
    deliveredAtDoor.map((article) => ({ input: { articleNumber: article.articleNumber, receivedBy: receiverOf(article) }, key: dayKey('deliver', article.plan.index) })),
    postmanCredential,
    (i) => deliveredAtDoor[i]!.articleNumber,
  );
  tally.delivered += deliveredAtDoor.length;

  const approved = byFate('DELIVERED', 'SUPERVISOR');
  await runAliased(
    client,
    'deliver on a supervisor\'s approval',
    DELIVER_WITHOUT_OTP,
    approved.map((article) => ({
      input: {
        articleNumber: article.articleNumber,
        receivedBy: receiverOf(article),
        reason: APPROVAL_REASON,
        ...(article.plan.codAmountPaise !== undefined ? { codCollected: { amountPaise: article.plan.codAmountPaise, mode: codModeOf(article) } } : {}),
      },
      key: dayKey('approve', article.plan.index),
    })),
    { token: admin.token },
    (i) => approved[i]!.articleNumber,
  );
  tally.delivered += approved.length;
  tally.deliveredWithoutOtp += approved.length;
  for (const article of approved) {
    if (article.plan.codAmountPaise === undefined) continue;
    tally.codCollectedPaise += article.plan.codAmountPaise;
    if (article.plan.channel === 'PARTNER') tally.codByPartner.set(article.plan.partner, (tally.codByPartner.get(article.plan.partner) ?? 0) + article.plan.codAmountPaise);
  }

  // Those going back: tried in turn until the graph returns them (the last attempt returns in the same step).
  let returning = [...byFate('ATTEMPTED', 'POSTMAN'), ...byFate('RETURNED')];
  for (let round = 1; returning.length; round++) {
    if (round > MAX_ROUNDS) {
      throw new GraphRefusal('return to sender', [{ message: `${returning.length} articles were attempted ${MAX_ROUNDS} times and not returned: is MAX_DELIVERY_ATTEMPTS set above ${MAX_ROUNDS}?`, extensions: { code: 'BAD_USER_INPUT' } }], 200, beatName);
    }
    if (round > 1) await assign(returning, round);
    const reasons = returning.map((article) => reasonOf(article, round));
    const answers = await runAliased<{ returnedToSender: boolean }>(
      client,
      'record a failed delivery attempt',
      ATTEMPT,
      returning.map((article, i) => ({ input: { articleNumber: article.articleNumber, reason: reasons[i] }, key: dayKey('attempt', article.plan.index, round) })),
      postmanCredential,
      (i) => returning[i]!.articleNumber,
    );
    const next: BookedArticle[] = [];
    answers.forEach((answer, i) => {
      const article = returning[i]!;
      tally.attempts[reasons[i]!] = (tally.attempts[reasons[i]!] ?? 0) + 1;
      if (answer.returnedToSender) tally.returned += 1;
      // A one-off failed attempt waits for tomorrow; an article meant to go back is tried again.
      else if (article.plan.fate.kind === 'RETURNED') next.push(article);
    });
    returning = next;
  }

  if (offline.length) await syncHandheld(run, beat, postman, offline, given);
}

const receiverOf = (article: BookedArticle): string => (article.plan.fate.kind === 'DELIVERED' ? article.plan.fate.receivedBy : article.plan.recipient.name);
const codModeOf = (article: BookedArticle): 'CASH' | 'UPI' => (article.plan.fate.kind === 'DELIVERED' && article.plan.fate.codMode) || 'CASH';

function reasonOf(article: BookedArticle, round: number): AttemptReason {
  const fate = article.plan.fate;
  if (fate.kind === 'ATTEMPTED') return fate.reason;
  if (fate.kind !== 'RETURNED') throw new Error(`article ${article.articleNumber} is not one to attempt`);
  return fate.reasons[(round - 1) % fate.reasons.length]!;
}

/**
 * What the postman's handheld recorded out of signal, synced when he is back: registered once (the same
 * device on every run), events timed a few seconds after the article went out (the graph refuses an
 * event before that, or over 10 minutes ahead of its clock). Each must be APPLIED, or DUPLICATE of one
 * already applied when a run is resumed.
 */
async function syncHandheld(
  run: Day,
  beat: Beat,
  postman: StaffAccount,
  offline: readonly BookedArticle[],
  given: readonly { articleNumber: string; events?: { type: string; occurredAt: string }[] }[],
): Promise<void> {
  const { client, seed, tally, key: dayKey } = run;
  const office = run.plan.deliveryOffices[beat.deliveryOffice]!;
  const credential = { token: postman.token };
  const device = await client.call<{ registerDeliveryDevice: { device: { id: string } } }>(
    'register a handheld',
    REGISTER_DEVICE,
    { label: `Handheld, beat ${beat.postman + 1}, ${office.name}`.slice(0, 100), key: `demo-s${seed}-handheld-${shortHash(office.id)}-${beat.postman}` },
    credential,
  );
  const wentOut = new Map(
    given.map((article) => [article.articleNumber, [...(article.events ?? [])].reverse().find((event) => event.type === 'OUT_FOR_DELIVERY')?.occurredAt ?? null]),
  );
  type SyncEvent = { clientEventId: string; articleNumber: string; occurredAt: string; location: { latitude: number; longitude: number } } & (
    | { kind: 'DELIVERED'; receivedBy: string }
    | { kind: 'ATTEMPTED'; reason: AttemptReason }
  );
  const events = offline.map((article, i): SyncEvent => {
    const out = wentOut.get(article.articleNumber);
    if (!out) throw new Error(`the beat's answer has no OUT_FOR_DELIVERY for ${article.articleNumber}`);
    const occurredAt = new Date(Date.parse(out) + (5 + (i % 50)) * 1_000).toISOString();
    const fate = article.plan.fate;
    const location = { latitude: office.latitude, longitude: office.longitude };
    const clientEventId = dayKey('h', article.plan.index).replace(/^demo-/, '');
    return fate.kind === 'DELIVERED'
      ? { clientEventId, articleNumber: article.articleNumber, kind: 'DELIVERED', occurredAt, receivedBy: fate.receivedBy, location }
      : { clientEventId, articleNumber: article.articleNumber, kind: 'ATTEMPTED', occurredAt, reason: reasonOf(article, 1), location };
  });
  for (const chunk of chunked(events, MAX_SYNCED)) {
    const data = await client.call<{ syncDeliveryEvents: { results: { clientEventId: string; outcome: string; standing: string; code: string | null; message: string | null }[] } }>(
      'sync a handheld',
      SYNC,
      { deviceId: device.registerDeliveryDevice.device.id, events: chunk },
      credential,
      `${office.id} beat ${beat.postman + 1}`,
    );
    data.syncDeliveryEvents.results.forEach((result, i) => {
      const event = chunk[i]!;
      if (result.standing !== 'APPLIED') {
        throw new GraphRefusal('sync a handheld', [{ message: `${event.articleNumber} ${event.kind}: ${result.message}`, extensions: { code: result.code ?? 'REJECTED' } }], 200);
      }
      tally.syncedOffline += 1;
      if (event.kind === 'DELIVERED') tally.delivered += 1;
      else tally.attempts[event.reason] = (tally.attempts[event.reason] ?? 0) + 1;
    });
  }
}
