import { createHash } from 'node:crypto';

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Lower-case ASCII words joined by single '-', no leading or trailing '-': "Darul Uloom, Deoband" ->
 * "darul-uloom-deoband". Accents are dropped first (NFKD). Same rule as services/slug.ts.
 */
export function slugify(text: string): string {
  return (NON_ASCII.test(text) ? text.normalize('NFKD') : text)
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The id an office gets when no other office of its pincode shares its slug: `${pincode}-${slug(name)}`. */
export function baseOfficeId(pincode: string, name: string): string {
  const slug = slugify(name);
  return slug === '' ? pincode : `${pincode}-${slug}`;
}

/** First 6 hex digits of the SHA-1 of the name: the tie-breaker for offices whose slugs collide. */
export function nameHash6(name: string): string {
  return createHash('sha1').update(name, 'utf8').digest('hex').slice(0, 6);
}

export interface IdCollisionGroup {
  /** The id the members would have had: `${pincode}-${slug}`. */
  baseId: string;
  /** The colliding names, sorted. */
  names: string[];
}

export interface OfficeIdAssignment {
  /** ids[i] belongs to offices[i]. */
  ids: string[];
  /** Pincode+slug ids shared by more than one office, sorted by baseId. */
  collisions: IdCollisionGroup[];
}

/**
 * Gives every office an id made only of its own data, so that it survives re-imports and does not depend on the
 * order of the input:
 * - `${pincode}-${slug(name)}` ("110001-connaught-place");
 * - offices of one pincode whose names differ but slug alike ("Darul Uloom Deoband" / "Darul Uloom, Deoband")
 *   all get `-${first 6 hex of sha1(name)}` appended, none is privileged;
 * - a name with no letters or digits gets the hash too.
 * `name` must already be cleaned (trimmed): the hash is over the exact string.
 * Throws when two offices have the same pincode and name, or if the ids are not unique for any other reason.
 * Caveat: if a later import adds an office whose slug collides with an existing one, the existing office's id
 * gains the hash suffix. Ids are stable as long as the set of names within a pincode keeps its slugs distinct.
 */
export function assignOfficeIds(offices: readonly { pincode: string; name: string }[]): OfficeIdAssignment {
  const groups = new Map<string, number[]>();
  const bases = offices.map((office, index) => {
    const base = baseOfficeId(office.pincode, office.name);
    const members = groups.get(base);
    if (members) members.push(index);
    else groups.set(base, [index]);
    return base;
  });

  const ids = bases.slice();
  const collisions: IdCollisionGroup[] = [];
  for (const [baseId, members] of groups) {
    const first = offices[members[0]!]!;
    const needsHash = members.length > 1 || baseId === first.pincode;
    if (!needsHash) continue;
    for (const index of members) ids[index] = `${baseId}-${nameHash6(offices[index]!.name)}`;
    if (members.length > 1) collisions.push({ baseId, names: members.map((index) => offices[index]!.name).sort() });
  }
  collisions.sort((a, b) => (a.baseId < b.baseId ? -1 : a.baseId > b.baseId ? 1 : 0));

  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const other = seen.get(id);
    if (other !== undefined) {
      const a = offices[other]!;
      const b = offices[index]!;
      throw new Error(
        a.pincode === b.pincode && a.name === b.name
          ? `Duplicate office: pincode ${a.pincode}, name ${JSON.stringify(a.name)}`
          : `Office id ${id} is not unique (${JSON.stringify(a.name)} and ${JSON.stringify(b.name)})`,
      );
    }
    seen.set(id, index);
  });
  return { ids, collisions };
}
