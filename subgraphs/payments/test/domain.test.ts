import fc from 'fast-check';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import {
  REFERENCE_PATTERN,
  UnbalancedTransaction,
  account,
  balanced,
  bookingPaymentEntries,
  checkPayee,
  codCollectionEntries,
  gstOn,
  newPaymentReference,
  parseAccount,
  percentEncode,
  qrPngBase64,
  qrSvg,
  receivingAccount,
  refundEntries,
  remittanceAmounts,
  remittanceEntries,
  remittancePaidEntries,
  rupeesText,
  upiDeepLink,
  type Entry,
} from '../src/domain';

const PAYEE = { vpa: 'indiapost@sbi', name: 'India Post' };
const sum = (entries: readonly Entry[]) => entries.reduce((total, e) => total + e.amountPaise, 0);

describe('money', () => {
  it('writes paise as rupees with two decimals, exactly', () => {
    expect(rupeesText(0)).toBe('0.00');
    expect(rupeesText(5)).toBe('0.05');
    expect(rupeesText(5900)).toBe('59.00');
    expect(rupeesText(129_999)).toBe('1299.99');
    expect(rupeesText(2 ** 31 - 1)).toBe('21474836.47');
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 31]) expect(() => rupeesText(bad)).toThrow(RangeError);
  });

  it('rounds GST half up to the paisa', () => {
    expect(gstOn(5000)).toBe(900);
    expect(gstOn(2500)).toBe(450);
    expect(gstOn(3)).toBe(1); // 0.54 paise
    expect(gstOn(2)).toBe(0); // 0.36 paise
  });
});

describe('UPI deep links (NPCI linking specification)', () => {
  it('puts the parameters in order, the amount in rupees, every value percent-encoded', () => {
    const link = upiDeepLink({ payee: { vpa: 'india.post@sbi', name: "India Post (Mumbai GPO) & Co's" }, amountPaise: 5_900, reference: 'DK20261203ABCDEFGHJKLM', note: 'Postage EE123456785IN' });
    expect(link).toBe(
      "upi://pay?pa=india.post%40sbi&pn=India%20Post%20%28Mumbai%20GPO%29%20%26%20Co%27s&am=59.00&cu=INR&tr=DK20261203ABCDEFGHJKLM&tn=Postage%20EE123456785IN",
    );
    const url = new URL(link);
    expect(url.protocol).toBe('upi:');
    expect(Object.fromEntries(new URLSearchParams(link.slice('upi://pay?'.length)))).toEqual({
      pa: 'india.post@sbi',
      pn: "India Post (Mumbai GPO) & Co's",
      am: '59.00',
      cu: 'INR',
      tr: 'DK20261203ABCDEFGHJKLM',
      tn: 'Postage EE123456785IN',
    });
  });

  it('cuts the note to 50 characters and refuses a bad reference or amount', () => {
    const link = upiDeepLink({ payee: PAYEE, amountPaise: 100, reference: 'R1', note: 'x'.repeat(80) });
    expect(decodeURIComponent(/tn=([^&]*)/.exec(link)![1]!)).toHaveLength(50);
    expect(() => upiDeepLink({ payee: PAYEE, amountPaise: 100, reference: 'has space', note: '' })).toThrow(/reference/);
    expect(() => upiDeepLink({ payee: PAYEE, amountPaise: 0, reference: 'R1', note: '' })).toThrow(RangeError);
  });

  it('encodes any text so that decoding gives it back', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => decodeURIComponent(percentEncode(text)) === text && !/[^A-Za-z0-9%._~-]/.test(percentEncode(text))));
  });

  it('checks the configured payee', () => {
    expect(checkPayee({ vpa: 'indiapost@sbi', name: ' India Post ' })).toEqual({ vpa: 'indiapost@sbi', name: 'India Post' });
    expect(() => checkPayee({ vpa: 'not a vpa', name: 'x' })).toThrow(/UPI_PAYEE_VPA/);
    expect(() => checkPayee({ vpa: 'a@b', name: 'x' })).toThrow(/UPI_PAYEE_VPA/);
    expect(() => checkPayee({ vpa: 'indiapost@sbi', name: ' ' })).toThrow(/UPI_PAYEE_NAME/);
  });

  it('makes references of letters and digits a UPI app accepts, all different', () => {
    const at = new Date('2026-12-02T20:00:00Z'); // 01:30 IST on the 3rd
    const references = new Set(Array.from({ length: 1000 }, () => newPaymentReference(at)));
    expect(references.size).toBe(1000);
    for (const reference of references) {
      expect(reference).toMatch(REFERENCE_PATTERN);
      expect(reference.startsWith('DK20261203')).toBe(true);
      expect(reference.length).toBeLessThanOrEqual(35);
    }
  });

  it('draws the link as a QR code that reads back exactly (PNG) and as an SVG document', async () => {
    const link = upiDeepLink({ payee: PAYEE, amountPaise: 12_345, reference: 'DK20261203ABCDEFGHJKLM', note: 'Postage EE123456785IN' });
    const png = PNG.sync.read(Buffer.from(await qrPngBase64(link), 'base64'));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(link);
    const svg = await qrSvg(link);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path');
  });
});

describe('the double-entry ledger', () => {
  it('names accounts by kind and owner', () => {
    expect(account('COUNTER_CASH', '400001-mumbai')).toBe('COUNTER_CASH:400001-mumbai');
    expect(parseAccount('COD_PAYABLE:ptn_1')).toEqual({ kind: 'COD_PAYABLE', owner: 'ptn_1' });
    expect(parseAccount('REVENUE')).toEqual({ kind: 'REVENUE', owner: null });
    expect(() => account('COUNTER_CASH')).toThrow(/owner/);
    expect(() => account('REVENUE', 'x')).toThrow(/no owner/);
    expect(() => account('COD_PAYABLE', 'a:b')).toThrow(/":"/);
    expect(() => parseAccount('PETTY_CASH')).toThrow(/unknown/);
  });

  it('refuses entries that do not sum to zero, or move nothing', () => {
    expect(() => balanced([{ account: 'BANK', amountPaise: 100 }, { account: 'REVENUE', amountPaise: -99 }])).toThrow(UnbalancedTransaction);
    expect(() => balanced([{ account: 'BANK', amountPaise: 100 }, { account: 'BANK', amountPaise: -100 }])).toThrow(/two accounts/);
    expect(() => balanced([{ account: 'BANK', amountPaise: 0.5 }, { account: 'REVENUE', amountPaise: -0.5 }])).toThrow(/whole/);
    // Zero entries drop out; the same account merges.
    expect(balanced([{ account: 'BANK', amountPaise: 60 }, { account: 'BANK', amountPaise: 40 }, { account: 'GST_PAYABLE', amountPaise: 0 }, { account: 'REVENUE', amountPaise: -100 }])).toEqual([
      { account: 'BANK', amountPaise: 100 },
      { account: 'REVENUE', amountPaise: -100 },
    ]);
  });

  it('posts every movement so that the books always balance', () => {
    const paise = fc.integer({ min: 1, max: 10_000_000 });
    const movement = fc.oneof(
      fc.record({ kind: fc.constant('booking'), method: fc.constantFrom('UPI_QR', 'CASH') as fc.Arbitrary<'UPI_QR' | 'CASH'>, taxable: paise }),
      fc.record({ kind: fc.constant('cod'), mode: fc.constantFrom('CASH', 'UPI') as fc.Arbitrary<'CASH' | 'UPI'>, amount: paise }),
      fc.record({ kind: fc.constant('refund'), method: fc.constantFrom('UPI_QR', 'CASH') as fc.Arbitrary<'UPI_QR' | 'CASH'>, taxable: paise }),
      fc.record({ kind: fc.constant('remit'), amounts: fc.array(fc.record({ amountPaise: paise, feePaise: fc.integer({ min: 0, max: 10_000 }) }), { minLength: 1, maxLength: 20 }) }),
    );
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 60 }), (movements) => {
        const books = new Map<string, number>();
        for (const m of movements) {
          let entries: Entry[];
          if (m.kind === 'booking') entries = bookingPaymentEntries(receivingAccount(m.method, '400001-mumbai'), m.taxable, gstOn(m.taxable));
          else if (m.kind === 'cod') entries = codCollectionEntries(receivingAccount(m.mode, '400001-mumbai'), 'ptn_a', m.amount);
          else if (m.kind === 'refund') entries = refundEntries(receivingAccount(m.method, '400001-mumbai'), m.taxable, gstOn(m.taxable));
          else {
            const amounts = remittanceAmounts(m.amounts.map((a) => ({ ...a, feePaise: Math.min(a.feePaise, Math.floor(a.amountPaise / 2)), feeGstPaise: gstOn(Math.min(a.feePaise, Math.floor(a.amountPaise / 2))) })));
            entries = [...remittanceEntries('ptn_a', amounts), ...(amounts.netPaise > 0 ? remittancePaidEntries('ptn_a', amounts.netPaise) : [])];
          }
          expect(sum(entries)).toBe(0);
          for (const e of entries) books.set(e.account, (books.get(e.account) ?? 0) + e.amountPaise);
        }
        expect([...books.values()].reduce((a, b) => a + b, 0)).toBe(0);
      }),
    );
  });

  it('remits the collections less each fee and the GST on it', () => {
    expect(
      remittanceAmounts([
        { amountPaise: 129_900, feePaise: 3_000, feeGstPaise: 540 },
        { amountPaise: 50_000, feePaise: 3_000, feeGstPaise: 540 },
      ]),
    ).toEqual({ articleCount: 2, grossPaise: 179_900, feesPaise: 6_000, feeGstPaise: 1_080, netPaise: 172_820 });
  });
});
