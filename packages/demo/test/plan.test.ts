import { sharedOfficeDirectory } from '@dakgraph/directory';
import { decode } from '@dakgraph/digipin';
import { DEMO_MIX, DEMO_SCALE, needsDeliveryOtp, planDemoDay, type DemoDayPlan, type PlannedArticle } from '../src/plan';
import { quotas, randomStream, shuffledQuotas } from '../src/random';

/**
 * The plan is the part of the demo that decides the day, and it is pure: the same seed and count give
 * the same day, the offices follow the circles' shares of the directory, and every article is one the
 * graph's booking and delivery rules accept.
 */

const directory = sharedOfficeDirectory();
const located = directory.offices.filter((office) => office.latitude !== null && office.longitude !== null);
const circleShare = (offices: readonly { circle: string }[]) => {
  const shares = new Map<string, number>();
  for (const office of offices) shares.set(office.circle, (shares.get(office.circle) ?? 0) + 1 / offices.length);
  return shares;
};
const directoryShare = circleShare(located);

let big: DemoDayPlan;
beforeAll(() => {
  big = planDemoDay({ articles: 20_000, seed: 7, directory });
});

const share = (articles: readonly PlannedArticle[], test: (article: PlannedArticle) => boolean) => articles.filter(test).length / articles.length;

describe('the random source', () => {
  it('is the same for a seed and label, and differs between labels', () => {
    const draws = (seed: number, label: string) => Array.from({ length: 5 }, () => randomStream(seed, label)).map((random) => random.next());
    expect(draws(1, 'a')).toEqual(draws(1, 'a'));
    expect(randomStream(1, 'a').next()).not.toBe(randomStream(1, 'b').next());
    expect(randomStream(1, 'a').next()).not.toBe(randomStream(2, 'a').next());
  });

  it('splits a total exactly by largest remainder, and gives every category one when asked', () => {
    expect(quotas(10, { a: 1, b: 1, c: 1 })).toEqual({ a: 4, b: 3, c: 3 });
    expect(quotas(100, { a: 80, b: 5, c: 15 })).toEqual({ a: 80, b: 5, c: 15 });
    expect(quotas(20, { big: 98, small: 2 })).toEqual({ big: 20, small: 0 });
    expect(quotas(20, { big: 98, small: 2 }, true)).toEqual({ big: 19, small: 1 });
    expect(quotas(0, { a: 1 })).toEqual({ a: 0 });
    const labels = shuffledQuotas(randomStream(3, 'x'), 1_000, { a: 1, b: 3 });
    expect(labels.filter((l) => l === 'b')).toHaveLength(750);
  });
});

describe('the plan of a day', () => {
  it('is a pure function of seed and count', () => {
    expect(planDemoDay({ articles: 500, seed: 42, directory })).toEqual(planDemoDay({ articles: 500, seed: 42, directory }));
    const other = planDemoDay({ articles: 500, seed: 43, directory });
    expect(other.counterOffices.map((office) => office.id)).not.toEqual(planDemoDay({ articles: 500, seed: 42, directory }).counterOffices.map((office) => office.id));
  });

  it('books the mix of channels, products and payments', () => {
    const { articles } = big;
    expect(articles).toHaveLength(20_000);
    expect(articles.map((article) => article.index)).toEqual(articles.map((_, i) => i));
    expect(share(articles, (a) => a.channel === 'PARTNER')).toBeCloseTo(DEMO_MIX.channel.PARTNER / 100, 3);
    const counter = articles.filter((a) => a.channel === 'COUNTER');
    const partner = articles.filter((a) => a.channel === 'PARTNER');
    expect(share(counter, (a) => a.product === 'SPEED_POST_DOCUMENT')).toBeCloseTo(0.65, 1);
    expect(counter.some((a) => a.product === 'BUSINESS_PARCEL')).toBe(false);
    expect(share(partner, (a) => a.product === 'SPEED_POST_PARCEL')).toBeCloseTo(0.7, 1);
    for (const [settlement, percent] of Object.entries(DEMO_MIX.counterSettlement)) {
      expect(share(counter, (a) => a.channel === 'COUNTER' && a.settlement === settlement)).toBeCloseTo(percent / 100, 2);
    }
  });

  it('ends the day in the planned proportions of fates', () => {
    const { articles } = big;
    expect(share(articles, (a) => a.fate.kind === 'IN_TRANSIT')).toBeCloseTo(DEMO_MIX.fate.IN_TRANSIT / 100, 3);
    expect(share(articles, (a) => a.fate.kind === 'DELIVERED')).toBeCloseTo(DEMO_MIX.fate.DELIVERED / 100, 3);
    expect(share(articles, (a) => a.fate.kind === 'ATTEMPTED')).toBeCloseTo(DEMO_MIX.fate.ATTEMPTED / 100, 3);
    const returned = articles.filter((a) => a.fate.kind === 'RETURNED');
    expect(returned.length / articles.length).toBeCloseTo((DEMO_MIX.fate.RETURNED_AT_ONCE + DEMO_MIX.fate.RETURNED_AFTER_ATTEMPTS) / 100, 3);
    // Half go back at once (refused, no such addressee...), half after three visits.
    const atOnce = returned.filter((a) => a.fate.kind === 'RETURNED' && a.fate.reasons.length === 1);
    expect(atOnce.length / returned.length).toBeCloseTo(0.5, 2);
    for (const article of atOnce) {
      if (article.fate.kind === 'RETURNED') expect(['REFUSED', 'NO_SUCH_ADDRESSEE', 'ADDRESSEE_MOVED', 'ADDRESSEE_CANNOT_BE_LOCATED']).toContain(article.fate.reasons[0]);
    }
    const offlineEligible = articles.filter((a) => (a.fate.kind === 'DELIVERED' || a.fate.kind === 'ATTEMPTED') && !needsDeliveryOtp(a));
    expect(share(offlineEligible, (a) => 'recordedBy' in a.fate && a.fate.recordedBy === 'HANDHELD')).toBeCloseTo(DEMO_MIX.offlineShare, 2);
  });

  it('spreads counters, deliveries and articles over the circles in proportion to their post offices', () => {
    const { counterOffices, deliveryOffices, articles } = big;
    expect(counterOffices).toHaveLength(DEMO_SCALE.maxCounterOffices);
    expect(deliveryOffices).toHaveLength(DEMO_SCALE.maxDeliveryOffices);
    const ids = [...counterOffices, ...deliveryOffices].map((office) => office.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Each circle's share of the sample is its share of the directory, to within one office of rounding.
    for (const [offices, articlesThere] of [
      [counterOffices, articles.filter((a) => a.channel === 'COUNTER').map((a) => (a.channel === 'COUNTER' ? counterOffices[a.counterOffice]! : null)!)],
      [deliveryOffices, articles.map((a) => deliveryOffices[a.deliveryOffice]!)],
    ] as const) {
      const sampled = circleShare(offices);
      const booked = circleShare(articlesThere);
      for (const [circle, expected] of directoryShare) {
        expect(Math.abs((sampled.get(circle) ?? 0) - expected)).toBeLessThanOrEqual(1 / offices.length + 1e-9);
        expect(Math.abs((booked.get(circle) ?? 0) - expected)).toBeLessThanOrEqual(1.5 / offices.length);
      }
    }
    // Uttar Pradesh has the most post offices of any circle, and so the most counters here.
    const biggest = [...directoryShare.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const counts = circleShare(counterOffices);
    expect([...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0]).toBe(biggest);
  });

  it('books only articles the graph accepts', () => {
    // Problems are collected and compared once: 20,000 articles times a dozen expect() calls is slow in Jest.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, article: PlannedArticle) => {
      if (!ok && problems.length < 20) problems.push(`article ${article.index}: ${what}`);
    };
    const locatedIds = new Set(located.map((office) => office.id));
    for (const article of big.articles) {
      // Between districts the tariff needs both pincodes' centres.
      const destination = big.deliveryOffices[article.deliveryOffice]!;
      check(locatedIds.has(destination.id), 'delivery office has a known location', article);
      check(article.recipient.pincode === destination.pincode, "recipient lives in the delivery office's pincode", article);
      if (article.channel === 'COUNTER') check(article.sender.pincode === big.counterOffices[article.counterOffice]!.pincode, "sender lives at the counter's pincode", article);
      else check(article.sender.pincode === big.partners[article.partner]!.warehouses[article.warehouse]!.pincode, "sender is the partner's warehouse", article);
      for (const party of [article.sender, article.recipient]) {
        check(/^\+91[6-9]\d{9}$/.test(party.phone), `phone ${party.phone}`, article);
        check(party.name.length > 0 && party.name.length <= 100, `name ${party.name}`, article);
        check(party.addressLines.length >= 1 && party.addressLines.length <= 4 && party.addressLines.every((line) => line.length <= 100), 'address lines', article);
      }
      if (article.recipient.digipin) {
        const door = decode(article.recipient.digipin);
        check(Math.abs(door.latitude - destination.latitude) < 0.02 && Math.abs(door.longitude - destination.longitude) < 0.02, 'door near the pincode centre', article);
      }
      check(article.weightGrams >= 1 && article.weightGrams <= (article.product === 'SPEED_POST_DOCUMENT' ? 2_000 : 35_000), `weight ${article.weightGrams}`, article);
      if (article.dimensionsCm) {
        const sides = [article.dimensionsCm.lengthCm, article.dimensionsCm.widthCm, article.dimensionsCm.heightCm].sort((a, b) => b - a) as [number, number, number];
        check(sides[0] <= 100 && sides[0] + 2 * (sides[1] + sides[2]) <= 180, 'within the inland parcel limits', article);
      }
      if (article.product === 'BUSINESS_PARCEL') check(article.services.length === 0, 'business parcels take no services', article);
      check(article.services.includes('INSURANCE') === (article.declaredValuePaise !== undefined), 'insurance with a declared value', article);
      if (article.declaredValuePaise !== undefined) check(article.declaredValuePaise <= 1_00_000 * 100, 'insured at most Rs 1 lakh', article);
      if (article.codAmountPaise !== undefined) {
        // COD: a partner's parcel, under a contract that allows it, at most Rs 50,000.
        check(article.channel === 'PARTNER' && big.partners[article.partner]!.codAllowed, 'COD only for COD partners', article);
        check(article.product !== 'SPEED_POST_DOCUMENT', 'no COD on documents', article);
        check(article.codAmountPaise <= 50_000 * 100, 'COD at most Rs 50,000', article);
      }
      const fate = article.fate;
      if (fate.kind === 'DELIVERED') {
        // Without the addressee's OTP, an OTP article is delivered only on a supervisor's approval.
        check((fate.recordedBy === 'SUPERVISOR') === needsDeliveryOtp(article), 'supervisor approval exactly for OTP articles', article);
        check((fate.codMode === null) === (article.codAmountPaise === undefined), 'COD collected exactly for COD articles', article);
      }
      if (fate.kind === 'ATTEMPTED' && fate.recordedBy === 'HANDHELD') check(!needsDeliveryOtp(article), 'handhelds record no OTP articles', article);
      if (fate.kind === 'ATTEMPTED' && fate.reason === 'OTP_NOT_PROVIDED') check(needsDeliveryOtp(article), 'OTP_NOT_PROVIDED only for OTP articles', article);
      if (fate.kind === 'ATTEMPTED' && fate.reason === 'COD_AMOUNT_NOT_PAID') check(article.codAmountPaise !== undefined, 'COD_AMOUNT_NOT_PAID only for COD', article);
    }
    expect(problems).toEqual([]);
    const cod = big.articles.filter((a) => a.codAmountPaise !== undefined);
    expect(cod.length).toBeGreaterThan(1_000);
    expect(big.partners.map((partner) => partner.codAllowed)).toEqual([true, true, false]);
  });

  it('gives each delivery office enough postmen for one beat each', () => {
    const perBeat = new Map<string, number>();
    for (const article of big.articles) {
      if (article.fate.kind === 'IN_TRANSIT') continue;
      const beat = `${article.deliveryOffice}/${article.postman}`;
      perBeat.set(beat, (perBeat.get(beat) ?? 0) + 1);
    }
    for (const beat of perBeat.keys()) {
      const [office, postman] = beat.split('/').map(Number) as [number, number];
      expect(postman).toBeLessThan(big.deliveryOffices[office]!.postmen);
    }
    expect(Math.max(...perBeat.values())).toBeLessThanOrEqual(DEMO_SCALE.articlesPerPostman);
    // Sorting happens at the division's head office, never at the delivery office itself.
    for (const office of big.deliveryOffices) expect(office.hubId).not.toBe(office.id);
    expect(big.deliveryOffices.filter((office) => office.hubId !== null).length).toBeGreaterThan(big.deliveryOffices.length / 2);
  });

  it('has something of everything in a small day', () => {
    const small = planDemoDay({ articles: 60, seed: 1, directory });
    const kinds = new Set(small.articles.map((a) => (a.fate.kind === 'RETURNED' ? `RETURNED/${a.fate.reasons.length}` : a.fate.kind)));
    expect([...kinds].sort()).toEqual(['ATTEMPTED', 'DELIVERED', 'IN_TRANSIT', 'RETURNED/1', 'RETURNED/3']);
    const settlements = new Set(small.articles.flatMap((a) => (a.channel === 'COUNTER' ? [a.settlement] : [])));
    expect([...settlements].sort()).toEqual(['CASH', 'LATER_CASH', 'LATER_UPI', 'LATER_UPI_DECLINED_FIRST']);
    expect(small.articles.some((a) => a.fate.kind === 'DELIVERED' && a.fate.recordedBy === 'HANDHELD')).toBe(true);
    expect(small.deliveryOffices.length).toBeGreaterThanOrEqual(2);
    expect(small.counterOffices.length).toBeGreaterThanOrEqual(1);
  });

  it('works from a small directory, and refuses one without located offices or a count below 1', () => {
    const offices = located.slice(0, 40);
    const plan = planDemoDay({ articles: 30, seed: 5, directory: { offices } });
    expect(plan.articles).toHaveLength(30);
    expect(() => planDemoDay({ articles: 0, seed: 5, directory: { offices } })).toThrow(RangeError);
    expect(() => planDemoDay({ articles: 10, seed: 5, directory: { offices: offices.map((office) => ({ ...office, latitude: null, longitude: null })) } })).toThrow(/too few offices/);
  });
});
