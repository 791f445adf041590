/** Rules for ECS, EC2 launch templates and Auto Scaling, Batch and ECR. */
import type { Rule } from '../engine';
import { Resource, StackModel, block, blocks, isExpression, isTrue } from '../../model';
import { describe, publicAllows } from '../policy';

/** Environment variable names that hold a secret when their value is written in the configuration. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_KEY)/i;
/** ...unless the name says the value is only a pointer to one. */
const POINTER_NAME = /(_ARN|_NAME|_ID|_PATH|_FILE|_URL|_HEADER)$/i;

/**
 * Names of plain (non-secret) environment variables that look like they carry a secret literally:
 * the value is written in the configuration (no reference, no ARN).
 */
export function secretLookingVariables(vars: Record<string, unknown> | { name?: string; value?: unknown }[] | undefined): string[] {
  const entries: [string, unknown][] = Array.isArray(vars) ? vars.map((v) => [String(v.name ?? ''), v.value]) : Object.entries(vars ?? {});
  return entries.filter(([k, v]) => SECRET_NAME.test(k) && !POINTER_NAME.test(k) && typeof v === 'string' && v !== '' && !isExpression(v) && !v.startsWith('arn:')).map(([k]) => k);
}

interface ContainerDefinition {
  readonly name?: string;
  readonly privileged?: boolean;
  readonly readonlyRootFilesystem?: boolean;
  readonly logConfiguration?: { logDriver?: string };
  readonly environment?: { name?: string; value?: unknown }[];
  readonly linuxParameters?: { capabilities?: { add?: string[] } };
}

function containers(stack: StackModel, r: Resource): ContainerDefinition[] {
  const defs = stack.document<ContainerDefinition[]>(r, 'container_definitions');
  return Array.isArray(defs) ? defs : [];
}

/** Container-level check over every container of a task definition. */
function eachContainer(fn: (c: ContainerDefinition) => string | undefined): (r: Resource, stack: StackModel) => string[] {
  return (r, stack) => containers(stack, r).flatMap((c) => {
    const problem = fn(c);
    return problem ? [`container "${c.name ?? '?'}" ${problem}`] : [];
  });
}

function launchTemplateVolumes(r: Resource): Record<string, any>[] {
  return blocks(r.body.block_device_mappings).map((m) => block(m.ebs)).filter((e): e is Record<string, any> => e !== undefined);
}

export const COMPUTE_RULES: readonly Rule[] = [
  {
    id: 'AWS-ECS-001',
    severity: 'error',
    title: 'Containers are not privileged',
    rationale: 'A privileged container is root on the host: one compromised task owns the instance and every task on it.',
    checkov: 'CKV_AWS_334',
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => (c.privileged === true ? 'is privileged' : undefined)),
  },
  {
    id: 'AWS-ECS-002',
    severity: 'warning',
    title: 'Containers have a read-only root filesystem where possible',
    rationale: 'A read-only root stops an intruder from changing binaries or planting tools; writable paths go on volumes. Where the image must write to its root, say why (suppress with the reason).',
    checkov: 'CKV_AWS_336',
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => (c.readonlyRootFilesystem === true ? undefined : 'has a writable root filesystem (readonlyRootFilesystem is not true)')),
  },
  {
    id: 'AWS-ECS-003',
    severity: 'error',
    title: 'Tasks use the awsvpc network mode',
    rationale: 'awsvpc gives every task its own network interface and security group; bridge and host modes share the instance\'s, so one rule opens every task.',
    noEquivalent: 'checkov and cdk-nag check host networking and privileges, not that every task gets its own ENI and security group',
    types: ['aws_ecs_task_definition'],
    check(r) {
      const mode = r.body.network_mode;
      return mode === 'awsvpc' || isExpression(mode) ? undefined : `uses network mode ${mode === undefined ? '"bridge" (the default on EC2)' : JSON.stringify(mode)}, not "awsvpc"`;
    },
  },
  {
    id: 'AWS-ECS-004',
    severity: 'error',
    title: 'Every container sends its logs somewhere',
    rationale: 'A container without a log configuration loses its output when the task stops, which is exactly when it is needed.',
    cdkNag: 'AwsSolutions-ECS7',
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => (c.logConfiguration?.logDriver ? undefined : 'has no logConfiguration')),
  },
  {
    id: 'AWS-ECS-005',
    severity: 'error',
    title: 'No secrets in plain container environment variables',
    rationale: 'Plain environment values are stored in the task definition, readable by anyone who can describe it and kept in Terraform state; secrets belong in `secrets` (Secrets Manager or SSM).',
    cdkNag: 'AwsSolutions-ECS2',
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => {
      const names = secretLookingVariables(c.environment);
      return names.length ? `has secret-looking plain environment variable(s) ${names.join(', ')}; pass them as secrets` : undefined;
    }),
  },
  {
    id: 'AWS-ECS-006',
    severity: 'warning',
    title: 'Clusters have Container Insights',
    rationale: 'Container Insights gives per-service CPU, memory and task counts (the outage alarms read RunningTaskCount from it); without it a stopped service is silent.',
    checkov: 'CKV_AWS_65',
    cdkNag: 'AwsSolutions-ECS4',
    types: ['aws_ecs_cluster'],
    check(r) {
      const setting = blocks(r.body.setting).find((s) => s.name === 'containerInsights');
      return setting && (setting.value === 'enabled' || setting.value === 'enhanced' || isExpression(setting.value)) ? undefined : 'has Container Insights off (setting containerInsights)';
    },
  },
  {
    id: 'AWS-ECS-007',
    severity: 'error',
    title: 'Services do not give tasks public IP addresses',
    rationale: 'Tasks live in private subnets behind a load balancer; a public IP makes each task reachable (and scannable) from the internet.',
    checkov: 'CKV_AWS_333',
    types: ['aws_ecs_service'],
    check(r) {
      return isTrue(block(r.body.network_configuration)?.assign_public_ip) ? 'assigns public IP addresses to its tasks' : undefined;
    },
  },
  {
    id: 'AWS-ECS-008',
    severity: 'error',
    title: 'Tasks do not share the host\'s process or IPC namespace',
    rationale: 'pid_mode or ipc_mode "host" lets a container see and signal the host\'s processes and read their shared memory.',
    checkov: 'CKV_AWS_335',
    types: ['aws_ecs_task_definition'],
    check(r) {
      const shared = ['pid_mode', 'ipc_mode'].filter((f) => r.body[f] === 'host');
      return shared.length ? `sets ${shared.join(' and ')} "host"` : undefined;
    },
  },
  {
    id: 'AWS-ECS-009',
    severity: 'error',
    title: 'EFS volumes of tasks are encrypted in transit',
    rationale: 'Without transit encryption NFS traffic (the files themselves) crosses the network in clear.',
    checkov: 'CKV_AWS_97',
    types: ['aws_ecs_task_definition'],
    check(r) {
      return blocks(r.body.volume)
        .filter((v) => block(v.efs_volume_configuration) && block(v.efs_volume_configuration)!.transit_encryption !== 'ENABLED')
        .map((v) => `mounts EFS volume "${v.name}" without transit_encryption ENABLED`);
    },
  },
  {
    id: 'AWS-ECS-010',
    severity: 'warning',
    title: 'Task and execution roles are separate',
    rationale: 'The execution role pulls images and reads secrets for ECS; the application should not hold those permissions, nor ECS the application\'s.',
    checkov: 'CKV_AWS_249',
    types: ['aws_ecs_task_definition'],
    check(r) {
      const { execution_role_arn: exec, task_role_arn: task } = r.body;
      return exec !== undefined && exec === task ? 'uses the same role as task role and execution role' : undefined;
    },
  },
  {
    id: 'AWS-ECS-011',
    severity: 'warning',
    title: 'Services roll back deployments that fail',
    rationale: 'With the deployment circuit breaker and rollback, a release whose tasks never become healthy returns to the last working one instead of cycling forever.',
    noEquivalent: 'neither checks a service\'s deployment circuit breaker',
    types: ['aws_ecs_service'],
    check(r) {
      const controller = block(r.body.deployment_controller)?.type;
      if (controller !== undefined && controller !== 'ECS') return undefined;
      const cb = block(r.body.deployment_circuit_breaker);
      return cb && isTrue(cb.enable) && isTrue(cb.rollback) ? undefined : 'has no deployment circuit breaker with rollback';
    },
  },
  {
    id: 'AWS-EC2-001',
    severity: 'error',
    title: 'Instances require IMDSv2',
    rationale: 'IMDSv1 hands the instance role\'s credentials to any request a server-side request forgery can make; IMDSv2 needs a session token.',
    checkov: 'CKV_AWS_79',
    cdkNag: 'NIST.800.53.R5-EC2IMDSv2Enabled',
    types: ['aws_launch_template', 'aws_instance'],
    check(r) {
      const m = block(r.body.metadata_options);
      if (m?.http_endpoint === 'disabled' || m?.http_tokens === 'required' || isExpression(m?.http_tokens)) return undefined;
      return 'does not require IMDSv2 (metadata_options.http_tokens = "required")';
    },
  },
  {
    id: 'AWS-EC2-002',
    severity: 'warning',
    title: 'Instance metadata stays on the instance',
    rationale: 'A response hop limit above 1 lets containers in bridge mode reach the instance role\'s credentials through IMDS.',
    checkov: 'CKV_AWS_341',
    types: ['aws_launch_template', 'aws_instance'],
    check(r) {
      const hops = block(r.body.metadata_options)?.http_put_response_hop_limit;
      return typeof hops === 'number' && hops > 1 ? `has an IMDS response hop limit of ${hops}` : undefined;
    },
  },
  {
    id: 'AWS-EC2-003',
    severity: 'error',
    title: 'Instance volumes are encrypted',
    rationale: 'Unencrypted EBS volumes (and their snapshots) expose whatever the instance cached: images, models, temporary data.',
    checkov: 'CKV_AWS_8',
    cdkNag: 'AwsSolutions-EC26',
    types: ['aws_launch_template', 'aws_instance'],
    check(r) {
      if (r.type === 'aws_instance') {
        return [block(r.body.root_block_device), ...blocks(r.body.ebs_block_device)].filter((v) => v !== undefined && !isTrue(v.encrypted) && !isExpression(v.encrypted)).map(() => 'has an EBS volume that is not encrypted (encrypted = true)');
      }
      return launchTemplateVolumes(r).filter((e) => !isTrue(e.encrypted) && !isExpression(e.encrypted) && !e.snapshot_id).map(() => 'has an EBS volume that is not encrypted (ebs.encrypted = true)');
    },
  },
  {
    id: 'AWS-EC2-004',
    severity: 'error',
    title: 'Instances get no public IP address',
    rationale: 'Container hosts live in private subnets; a public address makes every port the security group forgets reachable from the internet.',
    checkov: 'CKV_AWS_88',
    cdkNag: 'NIST.800.53.R5-EC2InstanceNoPublicIp',
    types: ['aws_launch_template', 'aws_instance'],
    check(r) {
      const publicIp = r.type === 'aws_instance' ? isTrue(r.body.associate_public_ip_address) : blocks(r.body.network_interfaces).some((n) => isTrue(n.associate_public_ip_address));
      return publicIp ? 'gives instances a public IP address' : undefined;
    },
  },
  {
    id: 'AWS-EC2-005',
    severity: 'warning',
    title: 'Auto Scaling groups use launch templates',
    rationale: 'Launch configurations cannot require IMDSv2 per version, mix instance types or spot, and AWS no longer adds features to them.',
    checkov: 'CKV_AWS_315',
    types: ['aws_autoscaling_group'],
    check(r) {
      return r.body.launch_configuration !== undefined ? 'uses a launch configuration' : undefined;
    },
  },
  {
    id: 'AWS-BATCH-001',
    severity: 'error',
    title: 'Batch jobs are not privileged',
    rationale: 'A privileged job container is root on the compute environment\'s instance.',
    checkov: 'CKV_AWS_210',
    types: ['aws_batch_job_definition'],
    check(r, stack) {
      const props = stack.document<{ privileged?: boolean; environment?: { name?: string; value?: unknown }[] }>(r, 'container_properties');
      const problems: string[] = [];
      if (props?.privileged === true) problems.push('runs a privileged container');
      const names = secretLookingVariables(props?.environment);
      if (names.length) problems.push(`has secret-looking plain environment variable(s) ${names.join(', ')}`);
      return problems;
    },
  },
  {
    id: 'AWS-ECR-001',
    severity: 'error',
    title: 'Repositories scan images on push',
    rationale: 'Scanning on push reports known vulnerabilities of every image before it is deployed.',
    checkov: 'CKV_AWS_163',
    types: ['aws_ecr_repository'],
    check(r) {
      return isTrue(block(r.body.image_scanning_configuration)?.scan_on_push) ? undefined : 'does not scan images on push';
    },
  },
  {
    id: 'AWS-ECR-002',
    severity: 'warning',
    title: 'Production repositories have immutable tags',
    rationale: 'With mutable tags a push can change what a running production service pulls on its next scale-out, without a deployment.',
    checkov: 'CKV_AWS_51',
    types: ['aws_ecr_repository'],
    check(r, stack) {
      if (!stack.production) return undefined;
      const m = r.body.image_tag_mutability ?? 'MUTABLE';
      return m === 'MUTABLE' ? `has mutable image tags in the ${stack.environment} environment` : undefined;
    },
  },
  {
    id: 'AWS-ECR-003',
    severity: 'warning',
    title: 'Repositories expire old images',
    rationale: 'Without a lifecycle policy every pushed image is stored (and billed) forever.',
    noEquivalent: 'neither checks that a repository has a lifecycle policy',
    types: ['aws_ecr_repository'],
    check(r, stack) {
      return stack.hasAttached('aws_ecr_lifecycle_policy', 'repository', r, ['name']) ? undefined : 'has no lifecycle policy';
    },
  },
  {
    id: 'AWS-ECR-004',
    severity: 'error',
    title: 'Repository policies grant nothing to everyone',
    rationale: 'A repository policy allowing Principal "*" lets any AWS account pull (or push) images.',
    checkov: 'CKV_AWS_32',
    cdkNag: 'AwsSolutions-ECR1',
    types: ['aws_ecr_repository_policy'],
    check(r, stack) {
      return publicAllows(stack.document(r, 'policy')).map((s) => `allows everyone: statement ${describe(s)} has Principal "*" and no condition`);
    },
  },
  {
    id: 'AWS-ECS-012',
    severity: 'error',
    title: 'Tasks mount EFS access points with IAM authorization',
    rationale: 'EFS volumes mounted through an access point with IAM authorization are limited to the task role the file system policy or role grants.',
    noEquivalent: 'cdk-nag and checkov check EFS volume transit encryption, not IAM authorization through an access point',
    types: ['aws_ecs_task_definition'],
    check(r) {
      return blocks(r.body.volume)
        .map((v) => ({ name: v.name, efs: block(v.efs_volume_configuration) }))
        .filter((v) => v.efs && block(v.efs.authorization_config)?.access_point_id && block(v.efs.authorization_config)?.iam !== 'ENABLED')
        .map((v) => `mounts EFS volume "${v.name}" through an access point without IAM authorization (authorization_config.iam = "ENABLED")`);
    },
  },
];

