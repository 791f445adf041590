/**
 * The instance types a setting may name, as patterns (the published schema refuses the others
 * too) with a did-you-mean: EC2 instance types (a NAT instance) by family and size, and
 * ElastiCache node types (current generation: what Valkey and Redis 7 run on) by family.
 */
import { didYouMean } from '../../src/core/format';

/** EC2 instance families (current and previous generation, x86 and Graviton). */
const EC2_FAMILIES = [
  'a1', 'c4', 'c5', 'c5a', 'c5ad', 'c5d', 'c5n', 'c6a', 'c6g', 'c6gd', 'c6gn', 'c6i', 'c6id', 'c6in', 'c7a', 'c7g', 'c7gd', 'c7gn', 'c7i', 'c7i-flex', 'c8g',
  'd2', 'd3', 'd3en', 'g4ad', 'g4dn', 'g5', 'g5g', 'g6', 'g6e', 'i3', 'i3en', 'i4g', 'i4i', 'im4gn', 'inf1', 'inf2', 'is4gen',
  'm4', 'm5', 'm5a', 'm5ad', 'm5d', 'm5dn', 'm5n', 'm5zn', 'm6a', 'm6g', 'm6gd', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7a', 'm7g', 'm7gd', 'm7i', 'm7i-flex', 'm8g',
  'p3', 'p4d', 'p5', 'r4', 'r5', 'r5a', 'r5ad', 'r5b', 'r5d', 'r5dn', 'r5n', 'r6a', 'r6g', 'r6gd', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7a', 'r7g', 'r7gd', 'r7i', 'r7iz', 'r8g',
  't2', 't3', 't3a', 't4g', 'trn1', 'x1', 'x1e', 'x2gd', 'x2idn', 'x2iedn', 'z1d',
];
/** Burstable families: nano to 2xlarge only. */
const BURSTABLE = ['t2', 't3', 't3a', 't4g'];
const BURSTABLE_SIZES = 'nano|micro|small|medium|large|xlarge|2xlarge';
const OTHER_SIZES = 'medium|large|xlarge|\\d{1,2}xlarge|metal(-\\d{2}xl)?';

/** An EC2 instance type of a known family and a size that family has. */
export const EC2_INSTANCE_TYPE = new RegExp(`^((${BURSTABLE.join('|')})\\.(${BURSTABLE_SIZES})|(${EC2_FAMILIES.filter((f) => !BURSTABLE.includes(f)).join('|')})\\.(${OTHER_SIZES}))$`);

/** A did-you-mean for an EC2 instance type of an unknown family or size (`t4.nano`, `t4g.tiny`). */
export function ec2TypeHint(type: string): string {
  const [family, size] = type.split('.');
  if (size === undefined) return '';
  if (!EC2_FAMILIES.includes(family)) {
    // A family missing its last letter (`t4` for `t4g`) before any other near one.
    const near = EC2_FAMILIES.find((f) => f.startsWith(family) && f.length === family.length + 1) ?? /"([^"]+)"/.exec(didYouMean(family, EC2_FAMILIES))?.[1];
    return near ? `; did you mean ${JSON.stringify(`${near}.${size}`)}?` : `; ${JSON.stringify(family)} is not an EC2 instance family`;
  }
  return BURSTABLE.includes(family) ? `; ${family} sizes: ${BURSTABLE_SIZES.split('|').join(', ')}` : `; ${JSON.stringify(size)} is not an EC2 instance size`;
}

/** ElastiCache node families (current generation) and their sizes. */
const CACHE_NODE_TYPES: Readonly<Record<string, readonly string[]>> = (() => {
  const graviton = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
  const intel = ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'];
  const burstable = ['micro', 'small', 'medium'];
  return {
    t2: burstable, t3: burstable, t4g: burstable,
    m4: ['large', 'xlarge', '2xlarge', '4xlarge', '10xlarge'], m5: intel, m6g: graviton, m7g: graviton,
    r4: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '16xlarge'], r5: intel, r6g: graviton, r6gd: graviton.slice(1), r7g: graviton, c7gn: graviton,
  };
})();

/** An ElastiCache node type of the current generation. */
export const CACHE_NODE_TYPE = new RegExp(`^cache\\.(${Object.entries(CACHE_NODE_TYPES).map(([f, sizes]) => `${f}\\.(${sizes.join('|')})`).join('|')})$`);

/** A did-you-mean for a node type of an unknown family or size (`t4g.micro`, `cache.t4g.large`). */
export function cacheNodeTypeHint(type: string): string {
  if (!type.startsWith('cache.')) return CACHE_NODE_TYPE.test(`cache.${type}`) ? `; did you mean ${JSON.stringify(`cache.${type}`)}?` : '';
  const [, family, size] = type.split('.');
  const sizes = CACHE_NODE_TYPES[family];
  if (sizes) return `; cache.${family} sizes: ${sizes.join(', ')}`;
  const near = /"([^"]+)"/.exec(didYouMean(family ?? '', Object.keys(CACHE_NODE_TYPES)))?.[1];
  return `; ${JSON.stringify(`cache.${family}`)} is not a current ElastiCache node family${near ? `; did you mean "cache.${near}.${size}"?` : ` (families: ${Object.keys(CACHE_NODE_TYPES).join(', ')})`}`;
}
