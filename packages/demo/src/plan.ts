import { divisionIdOf, type OfficeRecord, type OfficeType } from '@dakgraph/directory';
import { payerVpa, receiverAtDoor, resident, warehouse, type Party } from './people';
import { quotas, randomStream, shuffledQuotas, type Random } from './random';

/**
 * The day's plan: which offices open a counter, which deliver, which partners hand in what, and what
 * becomes of every article. A pure function of the seed, the article count and the office directory, so a
 * test can check the mix without a graph, and `--seed` gives the same day again.
 */

export type DemoProduct = 'SPEED_POST_DOCUMENT' | 'SPEED_POST_PARCEL' | 'BUSINESS_PARCEL';
export type DemoService = 'REGISTRATION' | 'OTP_DELIVERY' | 'INSURANCE';
/** How a counter booking is settled: in cash as it is booked, or LATER through the payments subgraph. */
export type CounterSettlement = 'CASH' | 'LATER_UPI' | 'LATER_UPI_DECLINED_FIRST' | 'LATER_CASH';
/** The graph's NonDeliveryReason values the demo's postmen give. */
export type AttemptReason =
  | 'ADDRESSEE_ABSENT'
  | 'PREMISES_LOCKED'
  | 'ADDRESS_INCOMPLETE'
  | 'OTP_NOT_PROVIDED'
  | 'COD_AMOUNT_NOT_PAID'
  | 'REFUSED'
  | 'NO_SUCH_ADDRESSEE'
  | 'ADDRESSEE_MOVED'
  | 'ADDRESSEE_CANNOT_BE_LOCATED';
export type CodMode = 'CASH' | 'UPI';

/**
 * The mix of a day, in percent unless said. These are the demo's choices, not India Post statistics:
 * e-commerce parcels booked in bulk by partners are most of Speed Post's traffic, counters still book a
 * large share, most articles are delivered on the first attempt and a few go back.
 */
export const DEMO_MIX = Object.freeze({
  channel: Object.freeze({ PARTNER: 60, COUNTER: 40 }),
  counterProduct: Object.freeze({ SPEED_POST_DOCUMENT: 65, SPEED_POST_PARCEL: 35 }),
  partnerProduct: Object.freeze({ SPEED_POST_PARCEL: 70, BUSINESS_PARCEL: 20, SPEED_POST_DOCUMENT: 10 }),
  counterSettlement: Object.freeze({ CASH: 65, LATER_UPI: 22, LATER_UPI_DECLINED_FIRST: 3, LATER_CASH: 10 }),
  /** What becomes of an article by the end of the day. */
  fate: Object.freeze({ DELIVERED: 80, IN_TRANSIT: 5, ATTEMPTED: 9, RETURNED_AT_ONCE: 3, RETURNED_AFTER_ATTEMPTS: 3 }),
  /** Of a COD-allowed partner's parcels, the share collecting cash on delivery. */
  codShare: 0.4,
  /** Of deliveries and attempts that need no OTP, the share a postman's handheld records offline. */
  offlineShare: 0.15,
  /** COD collected in cash, else by UPI at the door. */
  codCashShare: 0.6,
});

/** How the day scales: counters book a few dozen each, a postman carries one beat (at most 500 a day). */
export const DEMO_SCALE = Object.freeze({
  counterArticlesPerOffice: 30,
  maxCounterOffices: 150,
  articlesPerDeliveryOffice: 150,
  maxDeliveryOffices: 120,
  /** Below the graph's 500 a day, so a postman's beat never overflows however the articles fall. */
  articlesPerPostman: 450,
});

/** An office the demo uses, with what the plan needs to know of it. */
export interface PlannedOffice {
  id: string;
  name: string;
  pincode: string;
  circle: string;
  divisionId: string;
  district: string;
  latitude: number;
  longitude: number;
}

export interface PlannedDeliveryOffice extends PlannedOffice {
  /** The head office of its division, where its mail is sorted; null when it is that head office (or its division has none). */
  hubId: string | null;
  /** Its postmen, each with one beat for the day. */
  postmen: number;
}

export interface PlannedPartner {
  /** A short stable name for idempotency keys ("p1"). */
  key: string;
  name: string;
  contactEmail: string;
  discountBasisPoints: number;
  codAllowed: boolean;
  remittanceAccount: { holder: string; accountNumber: string; ifsc: string };
  /** Where it hands its consignments in (pickup pincodes; the graph books each at its pincode's first office). */
  warehouses: PlannedOffice[];
}

export type ArticleFate =
  | { kind: 'IN_TRANSIT'; reachesHub: boolean }
  /** Delivered by the postman online, from his handheld offline, or (OTP articles) with a supervisor's approval. */
  | { kind: 'DELIVERED'; recordedBy: 'POSTMAN' | 'HANDHELD' | 'SUPERVISOR'; receivedBy: string; codMode: CodMode | null }
  /** One failed attempt today; it goes out again tomorrow. */
  | { kind: 'ATTEMPTED'; recordedBy: 'POSTMAN' | 'HANDHELD'; reason: AttemptReason }
  /** Attempted with these reasons in turn until the graph sends it back (at once for REFUSED and the like). */
  | { kind: 'RETURNED'; reasons: AttemptReason[] };

interface ArticleCommon {
  /** Its place in the plan, which idempotency keys are made of. */
  index: number;
  product: DemoProduct;
  weightGrams: number;
  dimensionsCm?: { lengthCm: number; widthCm: number; heightCm: number };
  services: DemoService[];
  declaredValuePaise?: number;
  codAmountPaise?: number;
  sender: Party;
  recipient: Party;
  /** Index into `deliveryOffices`; the recipient lives in its pincode. */
  deliveryOffice: number;
  /** Which of that office's postmen carries it. */
  postman: number;
  fate: ArticleFate;
}

export type PlannedArticle = ArticleCommon &
  (
    | { channel: 'COUNTER'; counterOffice: number; settlement: CounterSettlement; payerVpa: string }
    | { channel: 'PARTNER'; partner: number; warehouse: number }
  );

export interface DemoDayPlan {
  seed: number;
  counterOffices: PlannedOffice[];
  deliveryOffices: PlannedDeliveryOffice[];
  partners: PlannedPartner[];
  articles: PlannedArticle[];
}

/** What the plan needs of the directory (the real one is `sharedOfficeDirectory()`; tests may pass a few offices). */
export interface PlanDirectory {
  offices: readonly Pick<OfficeRecord, 'id' | 'name' | 'pincode' | 'officeType' | 'circle' | 'region' | 'division' | 'district' | 'latitude' | 'longitude'>[];
}

/** Delivered only against an OTP or a supervisor's approval, as the articles subgraph decides (OTP delivery, COD, insurance). */
export function needsDeliveryOtp(article: Pick<ArticleCommon, 'services' | 'codAmountPaise'>): boolean {
  return article.codAmountPaise != null || article.services.includes('OTP_DELIVERY') || article.services.includes('INSURANCE');
}

const PARTNERS = [
  { key: 'p1', name: 'Bharat Bazaar', discountBasisPoints: 1_000, codAllowed: true, share: 50 },
  { key: 'p2', name: 'Kirana Express', discountBasisPoints: 500, codAllowed: true, share: 30 },
  // A contract without COD: its parcels are prepaid, as some sellers' are.
  { key: 'p3', name: 'Desi Threads', discountBasisPoints: 0, codAllowed: false, share: 20 },
] as const;
const WAREHOUSES_PER_PARTNER = 2;

type DirectoryOffice = PlanDirectory['offices'][number];

/**
 * Offices a booking can start or end at: their pincode has a known centre, which the tariff's distance
 * needs between districts (the graph refuses a route to or from a pincode without one).
 */
function bookable(office: DirectoryOffice): office is DirectoryOffice & { latitude: number; longitude: number } {
  return office.latitude !== null && office.longitude !== null;
}

function planned(office: DirectoryOffice & { latitude: number; longitude: number }): PlannedOffice {
  return {
    id: office.id,
    name: office.name,
    pincode: office.pincode,
    circle: office.circle,
    divisionId: divisionIdOf(office),
    district: office.district,
    latitude: office.latitude,
    longitude: office.longitude,
  };
}

/**
 * `count` offices, each circle getting its share of the directory's offices (largest remainder), chosen
 * uniformly within the circle. Uniform picks from the whole directory would be proportional on average;
 * stratifying makes it so for a sample of a hundred too. `taken` offices are skipped.
 */
export function officesByCircle(random: Random, offices: readonly DirectoryOffice[], count: number, taken: ReadonlySet<string> = new Set()): PlannedOffice[] {
  const byCircle = new Map<string, (DirectoryOffice & { latitude: number; longitude: number })[]>();
  for (const office of offices) {
    if (!bookable(office) || taken.has(office.id)) continue;
    const list = byCircle.get(office.circle) ?? [];
    list.push(office);
    byCircle.set(office.circle, list);
  }
  const circles = [...byCircle.keys()].sort();
  const shares = Object.fromEntries(circles.map((circle) => [circle, byCircle.get(circle)!.length]));
  const perCircle = quotas(Math.min(count, offices.length), shares);
  return random.shuffled(circles.flatMap((circle) => random.sample(byCircle.get(circle)!, perCircle[circle]!).map(planned)));
}

/** The head office of each division, where the division's mail is sorted (the first by id when it has several). */
function headOfficesByDivision(offices: readonly DirectoryOffice[]): Map<string, string> {
  const heads = new Map<string, string>();
  for (const office of offices) {
    if ((office.officeType as OfficeType | null) !== 'HEAD_OFFICE') continue;
    const division = divisionIdOf(office);
    const known = heads.get(division);
    if (known === undefined || office.id < known) heads.set(division, office.id);
  }
  return heads;
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));

function weightOf(random: Random, product: DemoProduct): number {
  if (product === 'SPEED_POST_DOCUMENT') {
    const band = random.weighted({ letter: 40, packet: 35, heavy: 15, bundle: 10 });
    return band === 'letter' ? random.int(20, 50) : band === 'packet' ? random.int(51, 250) : band === 'heavy' ? random.int(251, 500) : random.int(501, 2_000);
  }
  if (product === 'BUSINESS_PARCEL') return random.int(2_000, 15_000);
  const band = random.weighted({ light: 45, medium: 35, heavy: 20 });
  return band === 'light' ? random.int(200, 1_000) : band === 'medium' ? random.int(1_001, 3_000) : random.int(3_001, 10_000);
}

/** A box within the inland parcel limits (longest side 100 cm, length plus girth 180 cm). */
function boxOf(random: Random, product: DemoProduct): ArticleCommon['dimensionsCm'] {
  if (product === 'SPEED_POST_DOCUMENT') return undefined;
  if (product === 'SPEED_POST_PARCEL' && random.chance(0.5)) return undefined;
  const big = product === 'BUSINESS_PARCEL';
  return { lengthCm: random.int(big ? 30 : 20, 50), widthCm: random.int(big ? 20 : 15, big ? 30 : 35), heightCm: random.int(big ? 15 : 5, 20) };
}

function servicesOf(random: Random, product: DemoProduct, channel: 'COUNTER' | 'PARTNER', cod: boolean): DemoService[] {
  // Business parcels take no value-added services; COD parcels already need the OTP.
  if (product === 'BUSINESS_PARCEL') return [];
  const services: DemoService[] = [];
  if (channel === 'COUNTER') {
    const parcel = product === 'SPEED_POST_PARCEL';
    if (random.chance(parcel ? 0.15 : 0.25)) services.push('REGISTRATION');
    if (random.chance(parcel ? 0.1 : 0.08)) services.push('OTP_DELIVERY');
    if (random.chance(parcel ? 0.06 : 0.03)) services.push('INSURANCE');
  } else if (product === 'SPEED_POST_DOCUMENT') {
    if (random.chance(0.3)) services.push('REGISTRATION');
  } else if (!cod && random.chance(0.1)) {
    services.push('OTP_DELIVERY');
  }
  return services;
}

const TEMPORARY_REASONS = { ADDRESSEE_ABSENT: 45, PREMISES_LOCKED: 35, ADDRESS_INCOMPLETE: 20 } as const;
const FINAL_REASONS = { REFUSED: 40, NO_SUCH_ADDRESSEE: 25, ADDRESSEE_MOVED: 20, ADDRESSEE_CANNOT_BE_LOCATED: 15 } as const;

function attemptReason(random: Random, article: Pick<ArticleCommon, 'services' | 'codAmountPaise'>): AttemptReason {
  if (article.codAmountPaise != null && random.chance(0.4)) return 'COD_AMOUNT_NOT_PAID';
  if (needsDeliveryOtp(article) && random.chance(0.3)) return 'OTP_NOT_PROVIDED';
  return random.weighted(TEMPORARY_REASONS);
}

/** The plan of a day of `articles` articles for `seed`, over `directory`'s offices. */
export function planDemoDay(options: { articles: number; seed: number; directory: PlanDirectory }): DemoDayPlan {
  const { articles: total, seed, directory } = options;
  if (!Number.isSafeInteger(total) || total < 1) throw new RangeError(`articles must be a whole number of 1 or more; got ${total}`);
  const officeRandom = randomStream(seed, 'offices');
  const channels = shuffledQuotas(randomStream(seed, 'channels'), total, DEMO_MIX.channel);
  const counterCount = channels.filter((channel) => channel === 'COUNTER').length;
  const partnerCount = total - counterCount;

  const counterOffices = counterCount
    ? officesByCircle(officeRandom, directory.offices, clamp(Math.ceil(counterCount / DEMO_SCALE.counterArticlesPerOffice), 1, DEMO_SCALE.maxCounterOffices))
    : [];
  const taken = new Set(counterOffices.map((office) => office.id));
  const deliveryCount = clamp(Math.ceil(total / DEMO_SCALE.articlesPerDeliveryOffice), Math.min(total, 2), DEMO_SCALE.maxDeliveryOffices);
  const deliveryPicks = officesByCircle(officeRandom, directory.offices, deliveryCount, taken);
  for (const office of deliveryPicks) taken.add(office.id);
  const partnerPlans = PARTNERS.slice(0, Math.min(PARTNERS.length, partnerCount));
  const warehousePicks = officesByCircle(officeRandom, directory.offices, partnerPlans.length * WAREHOUSES_PER_PARTNER, taken);
  const partners: PlannedPartner[] = partnerPlans.map((partner, i) => ({
    key: partner.key,
    name: partner.name,
    contactEmail: `ops@${partner.name.toLowerCase().replace(/\s+/g, '')}.example`,
    discountBasisPoints: partner.discountBasisPoints,
    codAllowed: partner.codAllowed,
    remittanceAccount: { holder: `${partner.name} Pvt Ltd`, accountNumber: String(5_000_000_000 + seed * 10 + i).slice(-12).padStart(12, '0'), ifsc: 'SBIN0000691' },
    warehouses: warehousePicks.slice(i * WAREHOUSES_PER_PARTNER, (i + 1) * WAREHOUSES_PER_PARTNER),
  }));
  if (!deliveryPicks.length || partners.some((partner) => partner.warehouses.length === 0)) {
    throw new RangeError('The directory has too few offices with a known location for a demo day');
  }
  const heads = headOfficesByDivision(directory.offices);

  // Every office takes an equal share, so each circle's share of the articles is its share of offices.
  const articleRandom = randomStream(seed, 'articles');
  const deliveryOf = shuffledQuotas(
    randomStream(seed, 'delivery-offices'),
    total,
    Object.fromEntries(deliveryPicks.map((_, i) => [String(i), 1])) as Record<string, number>,
  ).map(Number);
  const fates = shuffledQuotas(randomStream(seed, 'fates'), total, DEMO_MIX.fate, true);
  const settlements = shuffledQuotas(randomStream(seed, 'settlements'), counterCount, DEMO_MIX.counterSettlement, true);
  const partnerOf = shuffledQuotas(
    randomStream(seed, 'partners'),
    partnerCount,
    Object.fromEntries(partnerPlans.map((partner, i) => [String(i), partner.share])) as Record<string, number>,
  ).map(Number);

  let counterSeen = 0;
  let partnerSeen = 0;
  const articles: PlannedArticle[] = channels.map((channel, index) => {
    const deliveryOffice = deliveryOf[index]!;
    const destination = deliveryPicks[deliveryOffice]!;
    const recipient = resident(articleRandom, destination);
    if (channel === 'COUNTER') {
      const counterOffice = counterSeen % counterOffices.length;
      const settlement = settlements[counterSeen]!;
      counterSeen += 1;
      const product = articleRandom.weighted(DEMO_MIX.counterProduct);
      const services = servicesOf(articleRandom, product, 'COUNTER', false);
      const sender = resident(articleRandom, counterOffices[counterOffice]!);
      return {
        index,
        channel,
        counterOffice,
        settlement,
        payerVpa: payerVpa(articleRandom, sender.name),
        product,
        weightGrams: weightOf(articleRandom, product),
        ...optional('dimensionsCm', boxOf(articleRandom, product)),
        services,
        ...optional('declaredValuePaise', services.includes('INSURANCE') ? articleRandom.int(1_000, 50_000) * 100 : undefined),
        sender,
        recipient,
        deliveryOffice,
        postman: 0,
        fate: { kind: 'IN_TRANSIT', reachesHub: false },
      };
    }
    const partner = partnerOf[partnerSeen]!;
    partnerSeen += 1;
    const contract = partners[partner]!;
    const warehouseIndex = articleRandom.int(0, contract.warehouses.length - 1);
    const product = articleRandom.weighted(DEMO_MIX.partnerProduct);
    const cod = contract.codAllowed && product !== 'SPEED_POST_DOCUMENT' && articleRandom.chance(DEMO_MIX.codShare);
    return {
      index,
      channel,
      partner,
      warehouse: warehouseIndex,
      product,
      weightGrams: weightOf(articleRandom, product),
      ...optional('dimensionsCm', boxOf(articleRandom, product)),
      services: servicesOf(articleRandom, product, 'PARTNER', cod),
      // Online shops price in rupees ending 99; COD is at most Rs 50,000.
      ...optional('codAmountPaise', cod ? (articleRandom.int(2, 50) * 100 - 1) * 100 : undefined),
      sender: warehouse(articleRandom, contract.name, contract.warehouses[warehouseIndex]!),
      recipient,
      deliveryOffice,
      postman: 0,
      fate: { kind: 'IN_TRANSIT', reachesHub: false },
    };
  });

  decideFates(seed, articles, fates, deliveryPicks, heads);
  const deliveryOffices = assignBeats(articles, deliveryPicks, heads);
  return { seed, counterOffices, deliveryOffices, partners, articles };
}

const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** Turns each article's fate label into what happens to it, and who records it. */
function decideFates(
  seed: number,
  articles: PlannedArticle[],
  labels: readonly (keyof typeof DEMO_MIX.fate)[],
  deliveryPicks: readonly PlannedOffice[],
  heads: ReadonlyMap<string, string>,
): void {
  const random = randomStream(seed, 'fate-details');
  // Which deliveries and attempts a handheld records offline: a share of those needing no OTP (the handheld
  // can only sync an OTP it was given, and the demo has none).
  const offlineEligible = articles.filter((article, i) => (labels[i] === 'DELIVERED' || labels[i] === 'ATTEMPTED') && !needsDeliveryOtp(article));
  const offline = new Set(
    shuffledQuotas(randomStream(seed, 'offline'), offlineEligible.length, { HANDHELD: DEMO_MIX.offlineShare, POSTMAN: 1 - DEMO_MIX.offlineShare }, true)
      .flatMap((recordedBy, i) => (recordedBy === 'HANDHELD' ? [offlineEligible[i]!.index] : [])),
  );
  articles.forEach((article, i) => {
    const label = labels[i]!;
    const destination = deliveryPicks[article.deliveryOffice]!;
    switch (label) {
      case 'IN_TRANSIT':
        article.fate = { kind: 'IN_TRANSIT', reachesHub: hubOf(destination, heads) !== null && random.chance(0.5) };
        return;
      case 'DELIVERED':
        article.fate = {
          kind: 'DELIVERED',
          recordedBy: needsDeliveryOtp(article) ? 'SUPERVISOR' : offline.has(article.index) ? 'HANDHELD' : 'POSTMAN',
          receivedBy: receiverAtDoor(random, article.recipient.name),
          codMode: article.codAmountPaise == null ? null : random.chance(DEMO_MIX.codCashShare) ? 'CASH' : 'UPI',
        };
        return;
      case 'ATTEMPTED':
        article.fate = offline.has(article.index)
          ? { kind: 'ATTEMPTED', recordedBy: 'HANDHELD', reason: random.weighted(TEMPORARY_REASONS) }
          : { kind: 'ATTEMPTED', recordedBy: 'POSTMAN', reason: attemptReason(random, article) };
        return;
      case 'RETURNED_AT_ONCE':
        article.fate = { kind: 'RETURNED', reasons: [random.weighted(FINAL_REASONS)] };
        return;
      case 'RETURNED_AFTER_ATTEMPTS':
        // Three visits with nobody to take it: the deployment's MAX_DELIVERY_ATTEMPTS (3 by default) sends it back.
        article.fate = { kind: 'RETURNED', reasons: [attemptReason(random, article), random.weighted(TEMPORARY_REASONS), attemptReason(random, article)] };
        return;
    }
  });
}

export function hubOf(office: PlannedOffice, heads: ReadonlyMap<string, string>): string | null {
  const head = heads.get(office.divisionId);
  return head && head !== office.id ? head : null;
}

/** Gives each delivery office enough postmen for what goes out from it, and each article a beat. */
function assignBeats(articles: PlannedArticle[], deliveryPicks: readonly PlannedOffice[], heads: ReadonlyMap<string, string>): PlannedDeliveryOffice[] {
  const outgoing = deliveryPicks.map(() => 0);
  for (const article of articles) if (article.fate.kind !== 'IN_TRANSIT') outgoing[article.deliveryOffice]! += 1;
  const offices = deliveryPicks.map((office, i) => ({
    ...office,
    hubId: hubOf(office, heads),
    postmen: Math.max(1, Math.ceil(outgoing[i]! / DEMO_SCALE.articlesPerPostman)),
  }));
  const dealt = deliveryPicks.map(() => 0);
  for (const article of articles) {
    if (article.fate.kind === 'IN_TRANSIT') continue;
    article.postman = dealt[article.deliveryOffice]! % offices[article.deliveryOffice]!.postmen;
    dealt[article.deliveryOffice]! += 1;
  }
  return offices;
}
