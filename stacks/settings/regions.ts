/**
 * The AWS regions the settings know: how many zones each has and the last zone letter an account
 * may see there (for the zone checks), and their names (for a did-you-mean on a mistyped region).
 * A region that is not here is refused: add it here when AWS opens one.
 */
import { REGION_PATTERN, ZONE_PATTERN } from '../../src/core/validation';

/**
 * Availability zones a region offers (the most any account sees; AWS maps zone names per account)
 * and, where its zone letters skip one, the last letter in use (ap-northeast-1 names its zones
 * a, c and d for new accounts; older accounts also see b).
 */
const REGIONS: Readonly<Record<string, number | { readonly zones: number; readonly last: string }>> = {
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 3,
  'us-west-2': 4,
  'ca-central-1': { zones: 3, last: 'd' },
  'sa-east-1': 3,
  'eu-west-1': 3,
  'eu-west-2': 3,
  'eu-west-3': 3,
  'eu-central-1': 3,
  'eu-central-2': 3,
  'eu-north-1': 3,
  'eu-south-1': 3,
  'eu-south-2': 3,
  'ap-south-1': 3,
  'ap-northeast-1': { zones: 3, last: 'd' },
  'ap-northeast-2': 4,
  'ap-northeast-3': 3,
  'ap-southeast-1': 3,
  'ap-southeast-2': 3,
  'ap-east-1': 3,
  'me-south-1': 3,
  'af-south-1': 3,
  // Regions opened since 2022 (three zones each at launch, per AWS's region announcements).
  'ap-south-2': 3,
  'ap-southeast-3': 3,
  'ap-southeast-4': 3,
  'ap-southeast-5': 3,
  'ap-southeast-6': 3,
  'ap-southeast-7': 3,
  'ap-east-2': 3,
  'ca-west-1': 3,
  'il-central-1': 3,
  'me-central-1': 3,
  'mx-central-1': 3,
  // The separate partitions (arn:aws-us-gov, arn:aws-cn).
  'us-gov-west-1': 3,
  'us-gov-east-1': 3,
  'cn-north-1': { zones: 3, last: 'd' },
  'cn-northwest-1': 3,
};

/** Every region the settings know. */
export const KNOWN_REGIONS: readonly string[] = Object.keys(REGIONS);

/** Regions where some (older) accounts see fewer zones than `REGIONS` says. */
const ACCOUNT_DEPENDENT: Readonly<Record<string, string>> = {
  'us-west-1': 'accounts created before 2014 may see only 2: only the account can tell',
};

const zoneCount = (region: string): number => {
  const entry = REGIONS[region];
  return typeof entry === 'number' ? entry : entry.zones;
};

/** The last zone letter of a known region. */
const lastLetter = (region: string): string => {
  const entry = REGIONS[region];
  return typeof entry === 'number' ? String.fromCharCode(96 + entry) : entry.last;
};

/** How many zones `region` has, and a note when that depends on the account. */
export function zonesInRegion(region: string): { readonly zones: number; readonly note?: string } {
  return { zones: region in REGIONS ? zoneCount(region) : 6, note: ACCOUNT_DEPENDENT[region] };
}

/** A known region, as a pattern (the published schema refuses the others too). */
export const KNOWN_REGION_PATTERN = new RegExp(`^(${KNOWN_REGIONS.join('|')})$`);

/** A zone of a known region, with a letter in use there, as a pattern. */
export const KNOWN_ZONE_PATTERN = new RegExp(`^(${KNOWN_REGIONS.map((r) => `${r}[a-${lastLetter(r)}]`).join('|')})$`);

const squeeze = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * `; did you mean "us-west-2"?` for a region written with another case, spacing or punctuation
 * (`us-west2`, `US_WEST_2`, `"eu-west-1 "`), or given as one of its zones (`us-west-2a`); the
 * regions of its area for a well-formed name AWS does not have (`eu-north-9`); else the empty
 * string (no guess at a region that merely looks alike).
 */
export function regionHint(value: string): string {
  const trimmed = value.trim();
  const region = ZONE_PATTERN.test(trimmed) ? trimmed.slice(0, -1) : KNOWN_REGIONS.find((r) => squeeze(r) === squeeze(value));
  if (region !== undefined && region !== value && region in REGIONS) return `; did you mean ${JSON.stringify(region)}?`;
  if (!REGION_PATTERN.test(value)) return '';
  const area = value.startsWith('us-gov-') ? 'us-gov' : value.split('-')[0];
  const near = KNOWN_REGIONS.filter((r) => r.startsWith(`${area}-`) && (area !== 'us' || !r.startsWith('us-gov-')));
  return `; AWS has no such region (the ${area} regions: ${near.join(', ')})`;
}

/**
 * Why `value`, a zone name AWS does not have, is refused: a letter past the region's last
 * (`eu-west-1d`) or a region that does not exist; else the empty string.
 */
export function zoneHint(value: string): string {
  if (!ZONE_PATTERN.test(value)) return '';
  const region = value.slice(0, -1);
  if (!(region in REGIONS)) return `; ${JSON.stringify(region)} is not an AWS region${regionHint(region)}`;
  return `; ${region} has zones ${region}a to ${region}${lastLetter(region)}`;
}
