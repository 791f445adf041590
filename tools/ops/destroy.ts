/**
 * `npm run ops -- <stack> destroy`: a destroy that finishes. What stops `terraform destroy`
 * partway (`tools/terraform/destroy.ts`) is cleared first with the AWS CLI, after a confirmation
 * that names what is lost for good: every object version of the buckets Terraform may not empty
 * itself, every image of such repositories, every recovery point of such backup vaults; deletion
 * protection is turned off (load balancer, DynamoDB table). Then `terraform destroy` runs. A
 * resource with `prevent_destroy` stops everything before anything is deleted: that protection is
 * a setting to change and apply first.
 */
import { UserError } from '../../src/core/errors';
import { DestroyBlocker, StackResource, destroyBlockers } from '../terraform/destroy';
import { isUnknown } from './stack';
import { Step, quote } from './steps';

/** What a destroy of one stack does before Terraform runs. */
export interface DestroyPlan {
  /** What blocks the destroy, each cleared by `steps`. */
  readonly blockers: readonly DestroyBlocker[];
  /** The AWS CLI steps that clear them, in order: contents first, then protection. */
  readonly steps: readonly Step[];
  /** The secrets the destroy deletes, each with its recovery window (`name (N days)`). */
  readonly secrets: readonly string[];
}

/** Deletes every object version and delete marker of a bucket, 1000 (one listing page) at a time. */
function emptyBucket(region: string, bucket: string): Step {
  const on = `--region ${quote(region)} --bucket ${quote(bucket)}`;
  return {
    shell:
      `while objects=$(aws s3api list-object-versions ${on} --no-paginate --query '{Objects: [Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}, Quiet: \`true\`}' --output json)` +
      ` && printf '%s' "$objects" | grep -q '"Key"'; do aws s3api delete-objects ${on} --delete "$objects" > /dev/null; done`,
  };
}

/** Deletes every image of a repository, 100 (one listing page) at a time. */
function emptyRepository(region: string, repository: string): Step {
  const on = `--region ${quote(region)} --repository-name ${quote(repository)}`;
  return { shell: `while ids=$(aws ecr list-images ${on} --no-paginate --query 'imageIds' --output json) && [ "$ids" != "[]" ]; do aws ecr batch-delete-image ${on} --image-ids "$ids" > /dev/null; done` };
}

/** Deletes every recovery point of a vault, then waits until AWS Backup has (deletion is asynchronous). */
function emptyVault(region: string, vault: string): Step {
  const on = `--region ${quote(region)} --backup-vault-name ${quote(vault)}`;
  const list = `aws backup list-recovery-points-by-backup-vault ${on} --query 'RecoveryPoints[].RecoveryPointArn' --output text`;
  return { shell: `for arn in $(${list}); do aws backup delete-recovery-point ${on} --recovery-point-arn "$arn"; done; while [ -n "$(${list})" ]; do sleep 10; done` };
}

/** Turns deletion protection off: a load balancer (by its ARN from the state, else by name) or a DynamoDB table. */
function unprotect(region: string, blocker: DestroyBlocker, values: Readonly<Record<string, unknown>>): Step {
  if (blocker.type === 'aws_dynamodb_table') return { argv: ['aws', 'dynamodb', 'update-table', '--region', region, '--table-name', blocker.name, '--no-deletion-protection-enabled'] };
  const arn = typeof values.arn === 'string' && !isUnknown(values.arn) ? values.arn : undefined;
  const attributes = ['--attributes', 'Key=deletion_protection.enabled,Value=false'];
  if (arn) return { argv: ['aws', 'elbv2', 'modify-load-balancer-attributes', '--region', region, '--load-balancer-arn', arn, ...attributes] };
  const lookup = `$(aws elbv2 describe-load-balancers --region ${quote(region)} --names ${quote(blocker.name)} --query 'LoadBalancers[0].LoadBalancerArn' --output text)`;
  return { shell: `aws elbv2 modify-load-balancer-attributes --region ${quote(region)} --load-balancer-arn "${lookup}" ${attributes.join(' ')}` };
}

/**
 * What clears the way for `terraform destroy` of `resources` in `region`; throws when a resource
 * has `prevent_destroy` (Terraform would refuse to plan the destroy at all).
 */
export function planDestroy(stack: string, region: string, resources: readonly StackResource[]): DestroyPlan {
  const blockers = destroyBlockers(resources);
  const prevented = blockers.filter((b) => b.kind === 'prevent-destroy');
  if (prevented.length > 0) {
    throw new UserError(
      `${stack} cannot be destroyed: ${prevented.map((b) => b.address).join(', ')} ${prevented.length > 1 ? 'have' : 'has'} lifecycle.prevent_destroy (Terraform refuses to plan the destroy); ` +
        'turn that protection off in the stack\'s settings and apply first (docs/operations.md)',
    );
  }
  const values = new Map(resources.map((r) => [r.address, r.values]));
  const contents: Step[] = blockers.flatMap((b) => {
    if (b.kind === 'objects') return [emptyBucket(region, b.name)];
    if (b.kind === 'images') return [emptyRepository(region, b.name)];
    if (b.kind === 'recovery-points') return [emptyVault(region, b.name)];
    return [];
  });
  const protection = blockers.filter((b) => b.kind === 'deletion-protection').map((b) => unprotect(region, b, values.get(b.address) ?? {}));
  const secrets = resources.filter((r) => r.type === 'aws_secretsmanager_secret').map((r) => `${String(r.values.name ?? r.address)} (${String(r.values.recovery_window_in_days ?? 30)} days)`);
  return { blockers, steps: [...contents, ...protection], secrets };
}

/** What a blocker costs, in the confirmation's words. */
function loss(b: DestroyBlocker): string {
  switch (b.kind) {
    case 'objects':
      return `every object and object version in bucket ${b.name}`;
    case 'images':
      return `every image in repository ${b.name}`;
    case 'recovery-points':
      return `every recovery point in backup vault ${b.name}`;
    default:
      return `deletion protection of ${b.type === 'aws_lb' ? 'load balancer' : 'table'} ${b.name} (turned off)`;
  }
}

/** The confirmation a destroy asks for: the stack, its region, and what is lost for good. */
export function confirmation(stack: string, region: string, plan: DestroyPlan): string {
  return [
    `Destroying ${stack} (${region}) deletes every resource of the stack. Lost for good besides:`,
    ...(plan.blockers.length > 0 ? plan.blockers.map((b) => `  - ${loss(b)}`) : ['  - nothing else: Terraform empties what it deletes (force_destroy, force_delete)']),
    ...(plan.secrets.length > 0 ? [`Secrets wait out their recovery window (${plan.secrets.join(', ')}): creating the stack again under the same names fails until then.`] : []),
  ].join('\n');
}
