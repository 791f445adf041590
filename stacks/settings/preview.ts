/**
 * Values that stand in for plan-time look-ups in an offline preview (`npm run plan` without
 * credentials, and the Terraform tests): a documentation account id, the first zones of the
 * region, a well-formed AMI id. Nothing is deployed with them.
 */

/** The account id AWS documentation uses. */
export const PREVIEW_ACCOUNT = '123456789012';
/** A well-formed AMI id. */
export const PREVIEW_AMI = 'ami-0123456789abcdef0';
/** A well-formed managed prefix list id (CloudFront's origin-facing list is looked up by name). */
export const PREVIEW_PREFIX_LIST = 'pl-0123456789abcdef0';

/** The first `count` zone names of `region` (a, b, c, ...). */
export function previewZones(region: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** A network's plan-time look-ups pinned: its zones, and the NAT instance's AMI when it has one. */
export function previewNetwork(region: string, network: { readonly availabilityZones?: readonly string[]; readonly azCount: number; readonly natGateways: string; readonly natInstance?: { readonly amiId?: string } }): Record<string, unknown> {
  return {
    availabilityZones: network.availabilityZones ?? previewZones(region, network.azCount),
    ...(network.natGateways === 'instance' ? { natInstance: { amiId: network.natInstance?.amiId ?? PREVIEW_AMI } } : {}),
  };
}
