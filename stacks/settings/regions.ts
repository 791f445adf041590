/**
 * The AWS regions the settings know: how many zones each has (for the zone checks) and their names
 * (for a did-you-mean on a mistyped region).
 */
import { ZONE_PATTERN } from '../../src/core/validation';

/**
 * Availability zones a region offers (the most any account sees; AWS maps zone names per account).
 * A region missing here is not limited beyond the schema's 6; the plan's zone look-up then fails
 * with Terraform's own message if the account has fewer.
 */
const REGION_ZONES: Readonly<Record<string, number>> = {
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 3,
  'us-west-2': 4,
  'ca-central-1': 3,
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
  'ap-northeast-1': 3,
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
  'ap-southeast-7': 3,
  'ca-west-1': 3,
  'il-central-1': 3,
  'me-central-1': 3,
  'mx-central-1': 3,
};

/** Regions where some (older) accounts see fewer zones than `REGION_ZONES` says. */
const ACCOUNT_DEPENDENT: Readonly<Record<string, string>> = {
  'us-west-1': 'accounts created before 2014 may see only 2: only the account can tell',
};

/** How many zones `region` has, and a note when that depends on the account. */
export function zonesInRegion(region: string): { readonly zones: number; readonly note?: string } {
  return { zones: REGION_ZONES[region] ?? 6, note: ACCOUNT_DEPENDENT[region] };
}

const squeeze = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * `; did you mean "us-west-2"?` for a region written with another case, spacing or punctuation
 * (`us-west2`, `US_WEST_2`, `"eu-west-1 "`), or given as one of its zones (`us-west-2a`); else the
 * empty string (no guess at a region that merely looks alike).
 */
export function regionHint(value: string): string {
  const trimmed = value.trim();
  const region = ZONE_PATTERN.test(trimmed) ? trimmed.slice(0, -1) : Object.keys(REGION_ZONES).find((r) => squeeze(r) === squeeze(value));
  return region !== undefined && region !== value && region in REGION_ZONES ? `; did you mean ${JSON.stringify(region)}?` : '';
}
