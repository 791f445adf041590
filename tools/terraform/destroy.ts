/**
 * What stops `terraform destroy` partway, read from a stack's resources (their configuration or
 * their state): a bucket that still holds objects, a repository that holds images, a backup vault
 * that holds recovery points (each unless Terraform may delete the contents itself:
 * `force_destroy`, `force_delete`), deletion protection (load balancer, DynamoDB table), and
 * `lifecycle.prevent_destroy`, which makes Terraform refuse to even plan the destroy.
 * `npm run ops -- <stack> destroy` clears the first four and stops at the last; the journey test
 * asserts each stack's list (`__tests__/terraform/journeys.test.ts`).
 */

/** A resource of a stack as far as a destroy is concerned. */
export interface StackResource {
  /** `type.name`. */
  readonly address: string;
  readonly type: string;
  /** Its attributes (state) or arguments (configuration), by Terraform name. */
  readonly values: Readonly<Record<string, unknown>>;
  /** `lifecycle.prevent_destroy` in the configuration. */
  readonly preventDestroy?: boolean;
}

/** What must be done before the destroy: empty it, turn protection off, or change the configuration. */
export type BlockerKind = 'objects' | 'images' | 'recovery-points' | 'deletion-protection' | 'prevent-destroy';

/** One thing that stops a destroy. */
export interface DestroyBlocker {
  readonly address: string;
  readonly type: string;
  readonly kind: BlockerKind;
  /** The name of the bucket, repository, vault, load balancer or table (the address for `prevent-destroy`). */
  readonly name: string;
  /** Why, in a sentence. */
  readonly reason: string;
}

interface BlockerRule {
  readonly type: string;
  readonly kind: Exclude<BlockerKind, 'prevent-destroy'>;
  readonly blocks: (values: Readonly<Record<string, unknown>>) => boolean;
  readonly name: string;
  readonly reason: string;
}

/** The blockers by resource type: the attribute that holds the name, and when it blocks. */
const RULES: readonly BlockerRule[] = [
  { type: 'aws_s3_bucket', kind: 'objects', name: 'bucket', blocks: (v) => v.force_destroy !== true, reason: 'S3 deletes no bucket that holds objects or object versions (force_destroy is off)' },
  { type: 'aws_ecr_repository', kind: 'images', name: 'name', blocks: (v) => v.force_delete !== true, reason: 'ECR deletes no repository that holds images (force_delete is off)' },
  { type: 'aws_backup_vault', kind: 'recovery-points', name: 'name', blocks: (v) => v.force_destroy !== true, reason: 'AWS Backup deletes no vault that holds recovery points (force_destroy is off)' },
  { type: 'aws_lb', kind: 'deletion-protection', name: 'name', blocks: (v) => v.enable_deletion_protection === true, reason: 'the load balancer has deletion protection on' },
  { type: 'aws_dynamodb_table', kind: 'deletion-protection', name: 'name', blocks: (v) => v.deletion_protection_enabled === true, reason: 'the table has deletion protection on' },
];

/** What stops a destroy of `resources`, in their order; `prevent-destroy` first (nothing else matters then). */
export function destroyBlockers(resources: readonly StackResource[]): DestroyBlocker[] {
  const prevented = resources
    .filter((r) => r.preventDestroy)
    .map((r): DestroyBlocker => ({ address: r.address, type: r.type, kind: 'prevent-destroy', name: r.address, reason: 'lifecycle.prevent_destroy is set: Terraform refuses to plan its destroy' }));
  const others = resources.flatMap((r) =>
    RULES.filter((rule) => rule.type === r.type && rule.blocks(r.values)).map((rule): DestroyBlocker => ({ address: r.address, type: r.type, kind: rule.kind, name: String(r.values[rule.name] ?? r.address), reason: rule.reason })),
  );
  return [...prevented, ...others];
}

/** A synthesized stack document (`cdk.tf.json`), as far as its resources go. */
export interface StackDocument {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly [key: string]: unknown;
}

/** The managed resources of a synthesized stack with their arguments and `prevent_destroy`. */
export function configResources(doc: StackDocument): StackResource[] {
  return Object.entries(doc.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({
      address: `${type}.${name}`,
      type,
      values: body,
      preventDestroy: (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true,
    })),
  );
}
