import type { Viewer } from '@dakgraph/auth';
import { canReadOfficeOperations, canReadOperations } from '../src/access';

const viewer = (fields: Partial<Viewer>): Viewer => ({ kind: 'PUBLIC', id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null, ...fields });
const staff = (role: Viewer['role'], divisionId: string | null = 'mumbai/mumbai-g-p-o') => viewer({ kind: 'STAFF', id: 'stf_1', role, officeId: '400001-mumbai', divisionId });
const OWN = 'mumbai/mumbai-g-p-o';
const OTHER = 'delhi/new-delhi-gpo';

describe('who reads operations figures', () => {
  it.each([
    ['the public', viewer({}), {}, null, 'UNAUTHENTICATED'],
    ['a customer', viewer({ kind: 'CUSTOMER', customerId: 'cus_1' }), {}, null, 'FORBIDDEN'],
    ['a partner', viewer({ kind: 'PARTNER', partnerId: 'ptn_1' }), {}, null, 'FORBIDDEN'],
    ['a counter clerk', staff('COUNTER_CLERK'), { division: OWN }, null, 'FORBIDDEN'],
    ['a postman', staff('POSTMAN'), { division: OWN }, null, 'FORBIDDEN'],
    ['an analyst, the nation', staff('ANALYST'), {}, null, 'ALLOW'],
    ['an admin, another division', staff('ADMIN'), { division: OTHER }, null, 'ALLOW'],
    ['a supervisor, own division', staff('SUPERVISOR'), { division: OWN }, null, 'ALLOW'],
    ['a supervisor, own division in its circle', staff('SUPERVISOR'), { circle: 'maharashtra', division: OWN }, null, 'ALLOW'],
    ['a supervisor, an office of the division', staff('SUPERVISOR'), { officeId: '400001-mumbai' }, OWN, 'ALLOW'],
    ['a supervisor, another division', staff('SUPERVISOR'), { division: OTHER }, null, 'FORBIDDEN'],
    ['a supervisor, an office of another division', staff('SUPERVISOR'), { officeId: '110001-baroda-house' }, OTHER, 'FORBIDDEN'],
    ['a supervisor, an office the directory does not know', staff('SUPERVISOR'), { officeId: '999999-nowhere' }, null, 'FORBIDDEN'],
    ['a supervisor, the whole circle', staff('SUPERVISOR'), { circle: 'maharashtra' }, null, 'FORBIDDEN'],
    ['a supervisor, the nation', staff('SUPERVISOR'), {}, null, 'FORBIDDEN'],
    ['a supervisor with no division', staff('SUPERVISOR', null), { division: OWN }, null, 'FORBIDDEN'],
  ] as const)('%s: %s', (_, who, filter, officeDivision, expected) => {
    const decision = canReadOperations(who, filter, officeDivision);
    expect(decision.allowed ? 'ALLOW' : decision.code).toBe(expected);
  });

  it.each([
    ['an analyst', staff('ANALYST'), OTHER, 'ALLOW'],
    ['a supervisor, own division', staff('SUPERVISOR'), OWN, 'ALLOW'],
    ['a supervisor, another division', staff('SUPERVISOR'), OTHER, 'FORBIDDEN'],
    ['a supervisor, an unknown office', staff('SUPERVISOR'), null, 'FORBIDDEN'],
    ['a clerk', staff('COUNTER_CLERK'), OWN, 'FORBIDDEN'],
    ['the public', viewer({}), OWN, 'UNAUTHENTICATED'],
  ] as const)("an office's figures, %s", (_, who, division, expected) => {
    const decision = canReadOfficeOperations(who, division);
    expect(decision.allowed ? 'ALLOW' : decision.code).toBe(expected);
  });
});
