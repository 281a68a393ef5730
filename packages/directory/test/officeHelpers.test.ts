import { createHash } from 'node:crypto';
import {
  DIGIPIN_BOUNDS,
  INDIA_EXTENT,
  assembleOfficeDirectory,
  assignOfficeIds,
  baseOfficeId,
  collapseWhitespace,
  compactNameKey,
  findDistrictOutliers,
  haversineKm,
  isInBox,
  looseNameKey,
  median,
  medianWithout,
  slugify,
  splitOfficeTypeSuffix,
  type GroupedPoint,
  type RawLookupOffice,
  type RawOffice,
  type RawSources,
} from '../src/officeDirectory';

/** Deterministic Fisher-Yates shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const sha6 = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 6);

describe('splitOfficeTypeSuffix', () => {
  it.each([
    ['Ada B.O', 'Ada', 'BRANCH_OFFICE'],
    ['Connaught Place S.O', 'Connaught Place', 'SUB_OFFICE'],
    ['Sansad Marg H.O', 'Sansad Marg', 'HEAD_OFFICE'],
    ['New Delhi G.P.O.', 'New Delhi', 'HEAD_OFFICE'],
    ['Nagpur GPO', 'Nagpur', 'HEAD_OFFICE'],
    ['Bhainsa S.O (Adilabad)', 'Bhainsa (Adilabad)', 'SUB_OFFICE'],
    ['Arli (T) B.O', 'Arli (T)', 'BRANCH_OFFICE'],
    ['Public Office S.O (Ahmedabad)', 'Public Office (Ahmedabad)', 'SUB_OFFICE'],
    ['Kochuramapuram EDB.O', 'Kochuramapuram', 'BRANCH_OFFICE'],
    ['Poovanthuruthu GDSB.O', 'Poovanthuruthu', 'BRANCH_OFFICE'],
    ['Chethy GDB.O', 'Chethy', 'BRANCH_OFFICE'],
    ['Anjangaon Bari EB.O', 'Anjangaon Bari', 'BRANCH_OFFICE'],
    ['DheolaB.O', 'Dheola', 'BRANCH_OFFICE'],
    ['Ujjain  Govt. Engg. CollegeB.O', 'Ujjain Govt. Engg. College', 'BRANCH_OFFICE'],
    ['Sant GadgebabaAmravatiUniversityS.O', 'Sant GadgebabaAmravatiUniversity', 'SUB_OFFICE'],
    ['Vantmuri Colony Belgaum S. O', 'Vantmuri Colony Belgaum', 'SUB_OFFICE'],
    ['Ahmedgarh s.O', 'Ahmedgarh', 'SUB_OFFICE'],
    ['Krishnapuri S O', 'Krishnapuri', 'SUB_OFFICE'],
    ['Dumrawan SO', 'Dumrawan', 'SUB_OFFICE'],
    ['C.R.Barbigha Ed So', 'C.R.Barbigha', 'SUB_OFFICE'],
    ['Atmakur So (A)', 'Atmakur (A)', 'SUB_OFFICE'],
    ['Thygarayanagar South NDS.O', 'Thygarayanagar South', 'SUB_OFFICE'],
    ['Puttaparthy Main Bazar NDTSO', 'Puttaparthy Main Bazar', 'SUB_OFFICE'],
    ['Pasina Kalan BO', 'Pasina Kalan', 'BRANCH_OFFICE'],
    ['Babuchipidihi Ho', 'Babuchipidihi', 'HEAD_OFFICE'],
    ['AP Police Academy PO', 'AP Police Academy', null],
  ] as const)('%j -> %j (%s)', (name, base, type) => {
    expect(splitOfficeTypeSuffix(name)).toEqual({ base, type, hasSuffix: true });
  });

  it.each(['AGPO', 'Velguem O', 'Barahpura', 'SMU(Sikkim Manipal University)', 'Raso', 'Kalol (Bilaspur (HP)))', 'B.O'])(
    'leaves %j alone',
    (name) => {
      expect(splitOfficeTypeSuffix(name)).toEqual({ base: name, type: null, hasSuffix: false });
    },
  );

  it('cleans whitespace before splitting', () => {
    expect(splitOfficeTypeSuffix('  Chitradurga  Dist Office S.O ')).toEqual({
      base: 'Chitradurga Dist Office',
      type: 'SUB_OFFICE',
      hasSuffix: true,
    });
  });
});

describe('name keys', () => {
  it('loose keys keep punctuation, compact keys do not', () => {
    expect(looseNameKey('Darul Uloom,  Deoband')).toBe('darul uloom, deoband');
    expect(looseNameKey('Darul Uloom Deoband')).not.toBe(looseNameKey('Darul Uloom, Deoband'));
    expect(compactNameKey('Darul Uloom, Deoband')).toBe(compactNameKey('Darul Uloom Deoband'));
    expect(compactNameKey('Rdo"s Office Road')).toBe(compactNameKey("Rdo's Office Road"));
    expect(compactNameKey('Bhaglapur  Engg. College')).toBe('bhaglapurenggcollege');
  });

  it('collapseWhitespace trims and collapses, and returns tidy strings unchanged', () => {
    expect(collapseWhitespace('  Lucknow  HQ \t')).toBe('Lucknow HQ');
    expect(collapseWhitespace('Bangalore HQ ')).toBe('Bangalore HQ');
    const tidy = 'Connaught Place';
    expect(collapseWhitespace(tidy)).toBe(tidy);
  });
});

describe('slugify and office ids', () => {
  it('slugifies to lower-case ASCII words joined by single dashes', () => {
    expect(slugify('Darul Uloom, Deoband')).toBe('darul-uloom-deoband');
    expect(slugify("  15 'o' ")).toBe('15-o');
    expect(slugify('Kalol (Bilaspur (HP)))')).toBe('kalol-bilaspur-hp');
    expect(slugify('Sahakaranagar Bengaluru')).toBe('sahakaranagar-bengaluru');
    expect(slugify('Mañjeri')).toBe('manjeri');
    expect(baseOfficeId('110001', 'Connaught Place')).toBe('110001-connaught-place');
  });

  const sample = [
    { pincode: '247554', name: 'Darul Uloom Deoband' },
    { pincode: '247554', name: 'Darul Uloom, Deoband' },
    { pincode: '247554', name: 'Deoband' },
    { pincode: '843316', name: 'P Murahi' },
    { pincode: '843316', name: 'P. Murahi' },
    { pincode: '110001', name: 'Connaught Place' },
    { pincode: '110001', name: 'New Delhi' },
    { pincode: '110002', name: 'Connaught Place' },
    { pincode: '335039', name: "15 'o'" },
    { pincode: '335039', name: '15 O' },
    { pincode: '335039', name: '15 P' },
  ];

  it('appends sha1(name)[0..6] to every member of a colliding group, and only to them', () => {
    const { ids, collisions } = assignOfficeIds(sample);
    expect(ids).toEqual([
      `247554-darul-uloom-deoband-${sha6('Darul Uloom Deoband')}`,
      `247554-darul-uloom-deoband-${sha6('Darul Uloom, Deoband')}`,
      '247554-deoband',
      `843316-p-murahi-${sha6('P Murahi')}`,
      `843316-p-murahi-${sha6('P. Murahi')}`,
      '110001-connaught-place',
      '110001-new-delhi',
      '110002-connaught-place',
      `335039-15-o-${sha6("15 'o'")}`,
      `335039-15-o-${sha6('15 O')}`,
      '335039-15-p',
    ]);
    expect(collisions).toEqual([
      { baseId: '247554-darul-uloom-deoband', names: ['Darul Uloom Deoband', 'Darul Uloom, Deoband'] },
      { baseId: '335039-15-o', names: ["15 'o'", '15 O'] },
      { baseId: '843316-p-murahi', names: ['P Murahi', 'P. Murahi'] },
    ]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the same id to each office whatever the input order', () => {
    const { ids: inOrder } = assignOfficeIds(sample);
    const reference = new Map(sample.map((office, index) => [office, inOrder[index]]));
    for (const seed of [1, 2, 3, 42, 2024]) {
      const order = shuffled(sample, seed);
      const { ids } = assignOfficeIds(order);
      order.forEach((office, index) => expect(ids[index]).toBe(reference.get(office)));
    }
  });

  it('hashes names with no letters or digits instead of producing a bare pincode', () => {
    const { ids } = assignOfficeIds([{ pincode: '110001', name: '...' }]);
    expect(ids).toEqual([`110001-${sha6('...')}`]);
  });

  it('rejects a duplicate (pincode, name)', () => {
    expect(() =>
      assignOfficeIds([
        { pincode: '110001', name: 'Janpath' },
        { pincode: '110001', name: 'Janpath' },
      ]),
    ).toThrow(/Duplicate office: pincode 110001/);
  });
});

describe('geo helpers', () => {
  it('haversineKm gives known distances', () => {
    expect(haversineKm(28.6139, 77.209, 28.6139, 77.209)).toBe(0);
    // New Delhi to Mumbai: ~1,150 km great-circle.
    expect(haversineKm(28.6139, 77.209, 19.076, 72.8777)).toBeCloseTo(1153, -1);
    // One degree of latitude is ~111.2 km.
    expect(haversineKm(10, 76, 11, 76)).toBeCloseTo(111.2, 0);
    expect(haversineKm(10, 76, 11, 77)).toBeCloseTo(haversineKm(11, 77, 10, 76), 9);
  });

  it('boxes', () => {
    expect(isInBox(38.53571, 102.208792, DIGIPIN_BOUNDS)).toBe(false); // 737101 "Gangtok", in Gansu
    expect(isInBox(27.33, 88.61, INDIA_EXTENT)).toBe(true); // the real Gangtok
    expect(isInBox(8.27, 73.04, INDIA_EXTENT)).toBe(true); // Minicoy
    expect(isInBox(6.76, 93.83, INDIA_EXTENT)).toBe(true); // Indira Point
    expect(isInBox(0, 0, DIGIPIN_BOUNDS)).toBe(false);
  });

  it('median and medianWithout', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
    const values = [5, 1, 9, 3, 7, 3];
    const sorted = Float64Array.from(values).sort();
    sorted.forEach((value, index) => {
      const rest = Array.from(sorted).filter((_, i) => i !== index);
      expect(medianWithout(sorted, index)).toBe(median(rest));
      expect(value).toBe(sorted[index]);
    });
  });
});

describe('findDistrictOutliers', () => {
  const ring = (group: string, lat: number, lon: number, count: number, radiusKm: number): GroupedPoint[] =>
    Array.from({ length: count }, (_, i) => {
      const angle = (2 * Math.PI * i) / count;
      return {
        pincode: `${group}${i}`,
        group,
        latitude: lat + (radiusKm / 111.2) * Math.sin(angle),
        longitude: lon + (radiusKm / (111.2 * Math.cos((lat * Math.PI) / 180))) * Math.cos(angle),
      };
    });

  it('flags a point far from a compact district, not its members', () => {
    const points = [...ring('A', 28.8, 79.0, 9, 15), { pincode: 'bad', group: 'A', latitude: 26.35, longitude: 83.9 }];
    const { outliers, unchecked } = findDistrictOutliers(points);
    expect(outliers.map((o) => o.pincode)).toEqual(['bad']);
    expect(outliers[0]!.distanceKm).toBeGreaterThan(500);
    expect(outliers[0]!.limitKm).toBe(150);
    expect(unchecked).toEqual([]);
  });

  it('lets a wide district keep a remote member (spread-scaled limit)', () => {
    // Lakshadweep-like: islands ~70 km around a centre, one ~320 km south.
    const points = [...ring('L', 10.6, 72.8, 8, 70), { pincode: 'far', group: 'L', latitude: 7.73, longitude: 72.8 }];
    const { outliers } = findDistrictOutliers(points);
    expect(outliers).toEqual([]);
  });

  it('caps the limit at 400 km and floors it at 150 km', () => {
    const wide = [...ring('W', 20, 80, 8, 200), { pincode: 'w-far', group: 'W', latitude: 20 + 450 / 111.2, longitude: 80 }];
    expect(findDistrictOutliers(wide).outliers.map((o) => o.pincode)).toEqual(['w-far']);
    const tight = [...ring('T', 20, 80, 8, 2), { pincode: 't-edge', group: 'T', latitude: 20 + 120 / 111.2, longitude: 80 }];
    expect(findDistrictOutliers(tight).outliers).toEqual([]);
  });

  it('does not judge districts with fewer than 3 other pincodes', () => {
    const points = [...ring('S', 20, 80, 2, 5), { pincode: 's-far', group: 'S', latitude: 30, longitude: 80 }];
    const result = findDistrictOutliers(points);
    expect(result.outliers).toEqual([]);
    expect(result.unchecked.sort()).toEqual(['S0', 'S1', 's-far']);
  });
});

describe('assembleOfficeDirectory on a small synthetic source', () => {
  const office = (name: string, pincode: number, extra: Partial<RawOffice> = {}): RawOffice => ({
    name,
    pincode,
    circle: 'Delhi',
    region: 'Delhi',
    division: 'New Delhi Central',
    district: 'Central Delhi',
    state: 'Delhi',
    ...extra,
  });
  const lookup = (officeName: string, pincode: number, taluk = 'New Delhi', districtName = 'Central Delhi'): RawLookupOffice => ({
    officeName,
    pincode,
    taluk,
    districtName,
    stateName: 'DELHI',
  });
  const sources = (): RawSources => ({
    offices: [
      office('Connaught Place', 110001),
      office('New Delhi ', 110001, { division: 'New  Delhi GPO' }),
      office('Airoli', 110002),
      office('Darul Uloom Deoband', 110003),
      office('Darul Uloom, Deoband', 110003),
      office('Balsmand', 110004),
      office('Jayangar East S.O', 110005),
      office('Nowhere', 110005),
      ...['110006', '110007', '110008', '110009'].map((pin) => office(`Office ${pin}`, Number(pin))),
      office('Stray', 110010, { circle: 'Goa' }),
    ],
    lookup: [
      lookup('Connaught Place S.O', 110001),
      lookup('New Delhi G.P.O.', 110001, 'NA'),
      lookup('Airoli S.O', 110002),
      lookup('Airoli B.O', 110002),
      lookup('Darul Uloom Deoband S.O', 110003),
      lookup('Darul Uloom, Deoband B.O', 110003),
      lookup('Balsmand B.O', 110099, 'Hisar **'),
    ],
    centroids: {
      '110001': { lat: 28.6327, lng: 77.2196 },
      '110002': { lat: 28.6352, lng: 77.2469 },
      '110003': { lat: 0, lng: 0 },
      '110004': { lat: 38.53571, lng: 102.208792 },
      '110006': { lat: 28.6, lng: 77.2 },
      '110007': { lat: 28.65, lng: 77.25 },
      '110008': { lat: 28.7, lng: 77.2 },
      '110009': { lat: 26.35, lng: 83.9 },
      '999999': { lat: 20, lng: 80 },
    },
  });

  const directory = assembleOfficeDirectory(sources());
  const byName = new Map(directory.offices.map((o) => [o.name, o]));

  it('keeps every office, cleaned', () => {
    expect(directory.offices).toHaveLength(13);
    expect(byName.get('New Delhi')).toMatchObject({ id: '110001-new-delhi', division: 'New Delhi GPO', officeType: 'HEAD_OFFICE', taluk: null });
    expect(directory.stats.whitespaceFixes).toEqual({ names: 1, otherFields: 1 });
  });

  it('types offices, and leaves conflicting keys null', () => {
    expect(byName.get('Connaught Place')).toMatchObject({ officeType: 'SUB_OFFICE', taluk: 'New Delhi' });
    expect(byName.get('Airoli')!.officeType).toBeNull();
    expect(byName.get('Darul Uloom Deoband')!.officeType).toBe('SUB_OFFICE');
    expect(byName.get('Darul Uloom, Deoband')!.officeType).toBe('BRANCH_OFFICE');
    expect(byName.get('Balsmand')).toMatchObject({ officeType: 'BRANCH_OFFICE', taluk: 'Hisar' }); // sorting district
    expect(byName.get('Jayangar East S.O')!.officeType).toBe('SUB_OFFICE'); // its own suffix
    expect(byName.get('Nowhere')!.officeType).toBeNull();
    expect(directory.stats.typeMatch).toMatchObject({
      byPincodeAndName: 5,
      bySortingDistrict: 1,
      byOwnSuffix: 1,
      ambiguous: 1,
    });
  });

  it('validates coordinates', () => {
    const reasons = Object.fromEntries(directory.stats.rejectedCoordinates.map((r) => [r.pincode, r.reason]));
    expect(reasons).toEqual({ '110003': 'zero-point', '110004': 'outside-digipin-bounds', '110009': 'district-outlier' });
    expect(byName.get('Connaught Place')).toMatchObject({ latitude: 28.6327, longitude: 77.2196 });
    expect(byName.get('Office 110009')).toMatchObject({ latitude: null, longitude: null });
    expect(directory.stats.pincodesWithoutCentroid).toBe(2); // 110005, 110010
    expect(directory.stats.centroidsWithoutOffices).toBe(1);
  });

  it('corrects a stray circle only with unanimous evidence', () => {
    // The stray row's prefix (110) is all Delhi and so is its district: corrected.
    expect(byName.get('Stray')!.circle).toBe('Delhi');
    expect(directory.stats.circleCorrections).toEqual([
      expect.objectContaining({ pincode: '110010', from: 'Goa', to: 'Delhi' }),
    ]);
    // With a mixed sorting district it is kept.
    const mixed = sources();
    for (let i = 0; i < 6; i++) (mixed.offices as RawOffice[]).push(office(`Other ${i}`, 110011, { circle: 'Haryana' }));
    const kept = assembleOfficeDirectory(mixed);
    expect(kept.offices.find((o) => o.name === 'Stray')!.circle).toBe('Goa');
    expect(kept.stats.circleCorrections).toEqual([]);
  });

  it('builds one pincode record per pincode', () => {
    expect(directory.pincodes.map((p) => p.pincode)).toEqual([
      '110001', '110002', '110003', '110004', '110005', '110006', '110007', '110008', '110009', '110010',
    ]);
    expect(directory.pincodes[0]).toEqual({
      pincode: '110001',
      district: 'Central Delhi',
      state: 'Delhi',
      circle: 'Delhi',
      latitude: 28.6327,
      longitude: 77.2196,
      officeCount: 2,
    });
  });

  it('does not modify its input', () => {
    const input = sources();
    const copy = JSON.parse(JSON.stringify(input)) as RawSources;
    assembleOfficeDirectory(input);
    expect(input).toEqual(copy);
  });

  it('rejects malformed rows', () => {
    const bad = sources();
    (bad.offices as RawOffice[])[0] = office('X', 12345);
    expect(() => assembleOfficeDirectory(bad)).toThrow(/pincode 12345 is not six digits/);
  });
});
