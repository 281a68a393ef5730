import { PUBLIC_VIEWER, type Viewer } from '@dakgraph/auth';
import {
  articleVisibility,
  canAssignAt,
  canBookAtCounter,
  canDeliverAssigned,
  canOverrideDelivery,
  deliveryBeatScope,
  deliveryVisibility,
  canBookInBulk,
  canListOfficeArticles,
  canRecordEventAt,
  canRecordEvents,
  customerArticlesScope,
  principalOf,
  type ArticleOwnership,
  type Decision,
} from '../src/access';
import type { TrackingEventType } from '../src/domain';

const HOME = { officeId: '110001-baroda-house', divisionId: 'delhi/new-delhi-central' };
const SAME_DIVISION = { officeId: '110001-janpath', divisionId: 'delhi/new-delhi-central' };
const ELSEWHERE = { officeId: '400001-bazargate', divisionId: 'mumbai/mumbai-south' };

const staffAt = (role: Viewer['role'], office: { officeId: string; divisionId: string } | null): Viewer => ({
  kind: 'STAFF',
  id: `stf_${role}`,
  role,
  officeId: office?.officeId ?? null,
  divisionId: office?.divisionId ?? null,
  partnerId: null,
  customerId: null,
});

const V = {
  public: PUBLIC_VIEWER as Viewer,
  clerk: staffAt('COUNTER_CLERK', HOME),
  postman: staffAt('POSTMAN', HOME),
  supervisor: staffAt('SUPERVISOR', HOME),
  analyst: staffAt('ANALYST', HOME),
  admin: staffAt('ADMIN', null),
  clerkWithoutOffice: staffAt('COUNTER_CLERK', null),
  customerA: { ...PUBLIC_VIEWER, kind: 'CUSTOMER', id: 'cus_a', customerId: 'cus_a' } as Viewer,
  customerB: { ...PUBLIC_VIEWER, kind: 'CUSTOMER', id: 'cus_b', customerId: 'cus_b' } as Viewer,
  partnerA: { ...PUBLIC_VIEWER, kind: 'PARTNER', id: 'ptn_a', partnerId: 'ptn_a' } as Viewer,
  partnerB: { ...PUBLIC_VIEWER, kind: 'PARTNER', id: 'ptn_b', partnerId: 'ptn_b' } as Viewer,
};
type Who = keyof typeof V;

const outcome = (decision: Decision): 'allow' | 'UNAUTHENTICATED' | 'FORBIDDEN' => (decision.allowed ? 'allow' : decision.code);

describe('access rules', () => {
  describe.each<[Who, string, string]>([
    ['public', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    ['clerk', 'allow', 'FORBIDDEN'],
    ['supervisor', 'allow', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN', 'FORBIDDEN'], // an admin without an office has no counter
    ['clerkWithoutOffice', 'FORBIDDEN', 'FORBIDDEN'],
    ['postman', 'FORBIDDEN', 'FORBIDDEN'],
    ['analyst', 'FORBIDDEN', 'FORBIDDEN'],
    ['customerA', 'FORBIDDEN', 'FORBIDDEN'],
    ['partnerA', 'FORBIDDEN', 'allow'],
  ])('booking: %s', (who, counter, bulk) => {
    it(`counter ${counter}, bulk ${bulk}`, () => {
      expect(outcome(canBookAtCounter(V[who]))).toBe(counter);
      expect(outcome(canBookInBulk(V[who]))).toBe(bulk);
    });
  });

  it('lets an admin with an office book at its counter', () => {
    expect(canBookAtCounter(staffAt('ADMIN', HOME)).allowed).toBe(true);
  });

  it.each<[Who, TrackingEventType, typeof HOME, string]>([
    ['clerk', 'BAGGED', HOME, 'allow'],
    ['clerk', 'BAGGED', SAME_DIVISION, 'FORBIDDEN'],
    ['clerk', 'DELIVERED', ELSEWHERE, 'FORBIDDEN'],
    ['supervisor', 'BAGGED', SAME_DIVISION, 'allow'],
    ['supervisor', 'BAGGED', ELSEWHERE, 'FORBIDDEN'],
    ['admin', 'RECEIVED_AT_SORTING', ELSEWHERE, 'allow'],
    ['postman', 'OUT_FOR_DELIVERY', HOME, 'allow'],
    ['postman', 'DELIVERY_ATTEMPTED', HOME, 'allow'],
    ['postman', 'DELIVERED', HOME, 'allow'],
    ['postman', 'DELIVERED', ELSEWHERE, 'FORBIDDEN'],
    ['postman', 'BAGGED', HOME, 'FORBIDDEN'],
    ['postman', 'RETURNED_TO_SENDER', HOME, 'FORBIDDEN'],
    ['analyst', 'BAGGED', HOME, 'FORBIDDEN'],
    ['partnerA', 'BAGGED', HOME, 'FORBIDDEN'],
    ['customerA', 'DELIVERED', HOME, 'FORBIDDEN'],
    ['public', 'BAGGED', HOME, 'UNAUTHENTICATED'],
  ])('recording: %s may record %s at %j: %s', (who, type, office, expected) => {
    expect(outcome(canRecordEventAt(V[who], type, office))).toBe(expected);
  });

  it('refuses analysts and non-staff before looking at any event', () => {
    expect(outcome(canRecordEvents(V.analyst))).toBe('FORBIDDEN');
    expect(outcome(canRecordEvents(V.partnerA))).toBe('FORBIDDEN');
    expect(outcome(canRecordEvents(V.public))).toBe('UNAUTHENTICATED');
    expect(outcome(canRecordEvents(V.postman))).toBe('allow');
  });

  const counterArticle: ArticleOwnership = { senderCustomerId: null, partnerId: null, currentOfficeId: HOME.officeId };
  const customerArticle: ArticleOwnership = { senderCustomerId: 'cus_a', partnerId: null, currentOfficeId: ELSEWHERE.officeId };
  const partnerArticle: ArticleOwnership = { senderCustomerId: 'cus_b', partnerId: 'ptn_a', currentOfficeId: ELSEWHERE.officeId };

  it.each<[Who, ArticleOwnership, boolean, boolean]>([
    ['public', counterArticle, false, false],
    ['clerk', partnerArticle, true, true],
    ['supervisor', customerArticle, true, true],
    ['admin', partnerArticle, true, true],
    ['analyst', counterArticle, false, false],
    ['postman', counterArticle, false, true], // at the postman's office: the address, nothing else
    ['postman', customerArticle, false, false], // elsewhere: nothing
    ['customerA', customerArticle, true, true],
    ['customerB', customerArticle, false, false],
    ['customerB', partnerArticle, true, true], // the sender, though a partner booked it
    ['partnerA', partnerArticle, true, true],
    ['partnerB', partnerArticle, false, false],
    ['partnerA', customerArticle, false, false],
  ])('visibility: %s on %j sees details %s, recipient %s', (who, article, details, recipient) => {
    expect(articleVisibility(V[who], article)).toEqual({ details, recipient });
  });

  it.each<[Who, string]>([
    ['customerA', 'ALL'],
    ['customerB', 'NONE'],
    ['clerk', 'ALL'],
    ['supervisor', 'ALL'],
    ['admin', 'ALL'],
    ['postman', 'NONE'],
    ['analyst', 'NONE'],
    ['partnerA', 'BOOKED_BY_PARTNER'],
    ['public', 'NONE'],
  ])("customer cus_a's articles for %s: %s", (who, kind) => {
    const scope = customerArticlesScope(V[who], 'cus_a');
    expect(scope.kind).toBe(kind);
    if (scope.kind === 'BOOKED_BY_PARTNER') expect(scope.partnerId).toBe('ptn_a');
    if (scope.kind === 'NONE') expect(scope.decision.allowed).toBe(false);
  });

  it.each<[Who, typeof HOME, string]>([
    ['clerk', HOME, 'allow'],
    ['postman', HOME, 'allow'],
    ['clerk', SAME_DIVISION, 'FORBIDDEN'],
    ['supervisor', SAME_DIVISION, 'allow'],
    ['supervisor', ELSEWHERE, 'FORBIDDEN'],
    ['admin', ELSEWHERE, 'allow'],
    ['partnerA', HOME, 'FORBIDDEN'],
    ['customerA', HOME, 'FORBIDDEN'],
    ['public', HOME, 'UNAUTHENTICATED'],
  ])('office articles: %s at %j: %s', (who, office, expected) => {
    expect(outcome(canListOfficeArticles(V[who], office))).toBe(expected);
  });

  it('names principals by kind', () => {
    expect(principalOf(V.clerk)).toBe('staff:stf_COUNTER_CLERK');
    expect(principalOf(V.partnerA)).toBe('partner:ptn_a');
    expect(principalOf(V.customerA)).toBe('customer:cus_a');
    expect(principalOf(V.public)).toBeNull();
  });
});

describe('delivery rules', () => {
  describe.each<[Who, string, string, string]>([
    // who, assign at HOME, at SAME_DIVISION, ELSEWHERE
    ['public', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    ['clerk', 'allow', 'FORBIDDEN', 'FORBIDDEN'],
    ['supervisor', 'allow', 'allow', 'FORBIDDEN'],
    ['admin', 'allow', 'allow', 'allow'],
    ['postman', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['analyst', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['partnerA', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['customerA', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
  ])('assigning for delivery: %s', (who, home, division, elsewhere) => {
    it(`home ${home}, same division ${division}, elsewhere ${elsewhere}`, () => {
      expect(outcome(canAssignAt(V[who], HOME))).toBe(home);
      expect(outcome(canAssignAt(V[who], SAME_DIVISION))).toBe(division);
      expect(outcome(canAssignAt(V[who], ELSEWHERE))).toBe(elsewhere);
    });
  });

  describe.each<[Who, string, string, string, string]>([
    // who, his assignment today, someone else's, his for another day, no assignment
    ['postman', 'allow', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['clerk', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['supervisor', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['admin', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['public', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
  ])('delivering an assigned article: %s', (who, own, others, otherDay, none) => {
    it(`own ${own}, another postman's ${others}, another day ${otherDay}, unassigned ${none}`, () => {
      const today = '2026-11-25';
      expect(outcome(canDeliverAssigned(V[who], { postmanId: V[who].id ?? 'nobody', deliveryDate: today }, today))).toBe(own);
      expect(outcome(canDeliverAssigned(V[who], { postmanId: 'stf_someone_else', deliveryDate: today }, today))).toBe(others);
      expect(outcome(canDeliverAssigned(V[who], { postmanId: V[who].id ?? 'nobody', deliveryDate: '2026-11-24' }, today))).toBe(otherDay);
      expect(outcome(canDeliverAssigned(V[who], null, today))).toBe(none);
    });
  });

  describe.each<[Who, string, string, string]>([
    ['supervisor', 'allow', 'allow', 'FORBIDDEN'],
    ['admin', 'allow', 'allow', 'allow'],
    ['clerk', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['postman', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['analyst', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['partnerA', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
    ['public', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
  ])('delivering without the OTP, reissuing an OTP: %s', (who, home, division, elsewhere) => {
    it(`home ${home}, same division ${division}, elsewhere ${elsewhere}`, () => {
      expect(outcome(canOverrideDelivery(V[who], HOME))).toBe(home);
      expect(outcome(canOverrideDelivery(V[who], SAME_DIVISION))).toBe(division);
      expect(outcome(canOverrideDelivery(V[who], ELSEWHERE))).toBe(elsewhere);
    });
  });

  it.each<[Who, string, string]>([
    // who, the postman's own beat (V.postman), another postman's
    ['postman', 'ALL', 'NONE'],
    ['admin', 'ALL', 'ALL'],
    ['supervisor', 'DIVISION', 'DIVISION'],
    ['clerk', 'NONE', 'NONE'],
    ['analyst', 'NONE', 'NONE'],
    ['partnerA', 'NONE', 'NONE'],
    ['public', 'NONE', 'NONE'],
  ])('a beat for %s: own %s, another postman %s', (who, own, other) => {
    expect(deliveryBeatScope(V[who], V.postman.id!).kind).toBe(own);
    expect(deliveryBeatScope(V[who], 'stf_other_postman').kind).toBe(other);
    const division = deliveryBeatScope(V.supervisor, V.postman.id!);
    expect(division).toEqual({ kind: 'DIVISION', divisionId: HOME.divisionId });
  });

  it.each<[Who, boolean, boolean]>([
    ['public', false, false],
    ['postman', true, false],
    ['analyst', true, false],
    ['clerk', true, true],
    ['customerA', true, true],
    ['customerB', false, false],
    ['partnerA', false, false],
  ])('delivery fields for %s: postman %s, receipt %s', (who, postman, receipt) => {
    const article: ArticleOwnership = { senderCustomerId: 'cus_a', partnerId: null, currentOfficeId: HOME.officeId };
    expect(deliveryVisibility(V[who], article)).toEqual({ postman, receipt });
  });
});
