import * as crypto from 'crypto';
import { Token } from 'cdktf';

/**
 * Fits `name` into `maxLength` characters deterministically: names that fit are returned as they
 * are; longer ones keep their head and end in `-` plus a 6-character hash of the full name, so two
 * long names that share a head still differ and the same input always gives the same output.
 * Tokens (plan-time values) are returned untouched.
 */
export function fitName(name: string, maxLength: number): string {
  if (Token.isUnresolved(name) || name.length <= maxLength) return name;
  const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 6);
  const head = name.slice(0, maxLength - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}

/**
 * A `name_prefix` for resources Terraform names itself (IAM roles, security groups, launch
 * templates): `base` fitted to `maxLength - 1` characters plus `-`, so the unique suffix AWS or
 * Terraform appends reads as a separate part.
 */
export function namePrefix(base: string, maxLength: number): string {
  return `${fitName(base, maxLength - 1)}-`;
}

/** AWS name length limits the constructs respect. */
export const NameLimits = {
  /** ALB and target group names. */
  loadBalancer: 32,
  targetGroup: 32,
  /** Target group `name_prefix` (the provider appends 26 characters to reach 32). */
  targetGroupPrefix: 6,
  /** IAM role names. */
  iamRole: 64,
  /** IAM role and instance profile `name_prefix` (64 minus the 26-character suffix). */
  iamRolePrefix: 38,
  /** Security group `name_prefix` (255 minus the 26-character suffix). */
  securityGroupPrefix: 229,
  /** Application Auto Scaling policy names. */
  scalingPolicy: 256,
  /** CloudWatch alarm names. */
  alarm: 255,
} as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
