/**
 * Rules for ECS, EC2 launch templates and Auto Scaling, Batch and ECR.
 *
 * Each rule's counterparts were read in the checks' source: checkov (bridgecrewio/checkov at
 * 03d5fdad8d, under checkov/terraform/checks/) and cdk-nag (cdklabs/cdk-nag at ca6d1b54, under
 * src/rules/); the comment above each rule's counterparts names the files.
 */
import type { Rule } from '../engine';
import { Resource, StackModel, block, blocks, isExpression, isTrue, num } from '../../model';
import { publicGrants } from '../policy';

/** Environment variable names that hold a secret when their value is written in the configuration. */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_KEY)/i;
/** ...unless the name says the value is only a pointer to one. */
const POINTER_NAME = /(_ARN|_NAME|_ID|_PATH|_FILE|_URL|_HEADER)$/i;

/**
 * Values that are secrets whatever their name: the AWS and general patterns of checkov's
 * string_has_secrets (checkov/common/util/secrets.py), which CKV_AWS_45 runs over Lambda variables.
 */
const SECRET_VALUES: readonly RegExp[] = [
  /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/, // an AWS secret access key
  /(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}/, // an AWS access key id
  /("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/+=]{40}/,
  /("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}-?[0-9]{4}-?[0-9]{4}/,
  /^-----BEGIN (RSA|EC|DSA|GPP) PRIVATE KEY-----\n?$/, // Python's $ also matches before a final newline
];
/** ...unless the whole value is an MD5 or SHA-1 hash. */
const HASH = /^([a-f0-9]{32}|[a-f0-9]{40})$/i;

/** Whether a variable holds a secret literally: a secret's name with a value written in the configuration (no reference, no ARN), or a secret's value. */
function secretVariable(name: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false;
  const byName = SECRET_NAME.test(name) && !POINTER_NAME.test(name) && !isExpression(value) && !value.startsWith('arn:');
  return byName || (!HASH.test(value) && SECRET_VALUES.some((re) => re.test(value)));
}

/** Names of plain (non-secret) environment variables that look like they carry a secret literally. */
export function secretLookingVariables(vars: Record<string, unknown> | { name?: string; value?: unknown }[] | undefined): string[] {
  const entries: [string, unknown][] = Array.isArray(vars) ? vars.map((v) => [String(v.name ?? ''), v.value]) : Object.entries(vars ?? {});
  return entries.filter(([k, v]) => secretVariable(k, v)).map(([k]) => k);
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

/** The problems with the EBS volumes of a launch template, launch configuration or instance. */
function volumeProblems(r: Resource): string[] {
  const encrypted = (v: Record<string, any>) => isTrue(v.encrypted) || isExpression(v.encrypted);
  if (r.type === 'aws_launch_template') {
    const volumes = launchTemplateVolumes(r);
    if (volumes.length === 0) return ['declares no EBS volume (block_device_mappings with ebs.encrypted = true), so its instances boot the AMI\'s volumes as they are'];
    return volumes.filter((v) => !encrypted(v)).map(() => 'has an EBS volume that is not encrypted (ebs.encrypted = true)');
  }
  const root = block(r.body.root_block_device);
  if (!root) return ['does not declare its root volume (root_block_device with encrypted = true)'];
  return [root, ...blocks(r.body.ebs_block_device)].filter((v) => !encrypted(v)).map(() => 'has an EBS volume that is not encrypted (encrypted = true)');
}

const SECRETS_BY_NAME = 'Only variables whose name says secret (with a literal value) or whose value looks like a key: cdk-nag fails any plain environment variable, and ports, bucket names and feature flags are what the environment is for.';

export const COMPUTE_RULES: readonly Rule[] = [
  {
    id: 'AWS-ECS-001',
    severity: 'error',
    title: 'Containers are not privileged',
    rationale: 'A privileged container is root on the host: one compromised task owns the instance and every task on it.',
    // checkov resource/aws/ECSContainerPrivilege.py
    checkov: [{ id: 'CKV_AWS_334', relation: 'broader', difference: 'CKV_AWS_334 reads a "privilege" key, which ECS container definitions do not have ("privileged"), so it passes every privileged container.' }],
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => (c.privileged === true ? 'is privileged' : undefined)),
  },
  {
    id: 'AWS-ECS-002',
    severity: 'warning',
    title: 'Containers have a read-only root filesystem where possible',
    rationale: 'A read-only root stops an intruder from changing binaries or planting tools; writable paths go on volumes. Where the image must write to its root, say why (suppress with the reason).',
    // checkov resource/aws/ECSContainerReadOnlyRoot.py
    checkov: [{ id: 'CKV_AWS_336', relation: 'equivalent' }],
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
    // cdk-nag ecs/ECSTaskDefinitionContainerLogging.ts
    cdkNag: [{ id: 'AwsSolutions-ECS7', relation: 'equivalent' }],
    types: ['aws_ecs_task_definition'],
    check: eachContainer((c) => (c.logConfiguration?.logDriver ? undefined : 'has no logConfiguration')),
  },
  {
    id: 'AWS-ECS-005',
    severity: 'error',
    title: 'No secrets in plain container environment variables',
    rationale: 'Plain environment values are stored in the task definition, readable by anyone who can describe it and kept in Terraform state; secrets belong in `secrets` (Secrets Manager or SSM).',
    // cdk-nag ecs/ECSTaskDefinitionNoEnvironmentVariables.ts
    cdkNag: [{ id: 'AwsSolutions-ECS2', relation: 'narrower', difference: SECRETS_BY_NAME }],
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
    // checkov resource/aws/ECSClusterContainerInsights.py; cdk-nag ecs/ECSClusterCloudWatchContainerInsights.ts
    checkov: [{ id: 'CKV_AWS_65', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-ECS4', relation: 'equivalent' }],
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
    // checkov resource/aws/ECSServicePublicIP.py
    checkov: [{ id: 'CKV_AWS_333', relation: 'equivalent' }],
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
    // checkov resource/aws/ECSContainerHostProcess.py
    checkov: [{ id: 'CKV_AWS_335', relation: 'broader', difference: 'CKV_AWS_335 looks for a pidMode inside container definitions, where ECS has none (it is the task\'s pid_mode), and does not look at ipc_mode.' }],
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
    // checkov resource/aws/ECSTaskDefinitionEFSVolumeEncryption.py
    checkov: [{ id: 'CKV_AWS_97', relation: 'broader', difference: 'CKV_AWS_97 stops at the first EFS volume of a task definition; this rule checks every one.' }],
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
    // checkov resource/aws/ECSTaskDefinitionRoleCheck.py
    checkov: [{ id: 'CKV_AWS_249', relation: 'equivalent' }],
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
    // checkov resource/aws/IMDSv1Disabled.py; cdk-nag ec2/EC2IMDSv2Enabled.ts
    checkov: [{ id: 'CKV_AWS_79', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-EC2IMDSv2Enabled', relation: 'broader', difference: 'cdk-nag checks the launch templates of instances and Auto Scaling groups; this rule checks every launch template and instance.' }],
    types: ['aws_launch_template', 'aws_launch_configuration', 'aws_instance'],
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
    // checkov resource/aws/LaunchTemplateMetadataHop.py
    checkov: [{ id: 'CKV_AWS_341', relation: 'broader', difference: 'CKV_AWS_341 checks launch templates and configurations; this rule checks instances too.' }],
    types: ['aws_launch_template', 'aws_launch_configuration', 'aws_instance'],
    check(r) {
      const hops = num(block(r.body.metadata_options)?.http_put_response_hop_limit);
      return hops !== undefined && hops > 1 ? `has an IMDS response hop limit of ${hops}` : undefined;
    },
  },
  {
    id: 'AWS-EC2-003',
    severity: 'error',
    title: 'Instance volumes are encrypted',
    rationale: 'Unencrypted EBS volumes (and their snapshots) expose whatever the instance cached: images, models, temporary data.',
    // checkov resource/aws/LaunchConfigurationEBSEncryption.py; cdk-nag ec2/EC2EBSVolumeEncrypted.ts
    checkov: [{ id: 'CKV_AWS_8', relation: 'broader', difference: 'CKV_AWS_8 passes a volume restored from a snapshot, and one that leaves encrypted unset, and does not look at launch templates.' }],
    cdkNag: [{ id: 'AwsSolutions-EC26', relation: 'broader', difference: 'cdk-nag checks the launch templates of instances and Auto Scaling groups; this rule checks every one.' }],
    types: ['aws_launch_template', 'aws_launch_configuration', 'aws_instance'],
    check: volumeProblems,
  },
  {
    id: 'AWS-EC2-004',
    severity: 'error',
    title: 'Instances get no public IP address',
    rationale: 'Container hosts live in private subnets; a public address makes every port the security group forgets reachable from the internet.',
    // checkov resource/aws/EC2PublicIP.py; cdk-nag ec2/EC2InstanceNoPublicIp.ts
    checkov: [{ id: 'CKV_AWS_88', relation: 'broader', difference: 'CKV_AWS_88 reads the first network interface of a launch template only.' }],
    cdkNag: [{ id: 'NIST.800.53.R5-EC2InstanceNoPublicIp', relation: 'broader', difference: 'cdk-nag checks instances, not launch templates.' }],
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
    // checkov resource/aws/AutoScalingLaunchTemplate.py
    checkov: [{ id: 'CKV_AWS_315', relation: 'equivalent' }],
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
    // checkov resource/aws/BatchJobIsNotPrivileged.py
    checkov: [{ id: 'CKV_AWS_210', relation: 'broader', difference: 'This rule also fails secret-looking plain environment variables of the job.' }],
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
    // checkov resource/aws/ECRImageScanning.py
    checkov: [{ id: 'CKV_AWS_163', relation: 'equivalent' }],
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
    // checkov resource/aws/ECRImmutableTags.py
    checkov: [{ id: 'CKV_AWS_51', relation: 'narrower', difference: 'Production only: demo, staging and development builds push a moving tag (latest, a branch) that their services follow.' }],
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
    rationale: 'A repository or registry policy open to a wildcard principal lets any AWS account pull (or push) images.',
    // checkov resource/aws/ECRPolicy.py (cloudsplaining scan/resource_policy_document.py); cdk-nag ecr/ECROpenAccess.ts
    checkov: [{ id: 'CKV_AWS_32', relation: 'broader', difference: 'CKV_AWS_32 checks repository policies, not the registry policy, and lets an aws:userid condition narrow a wildcard principal.' }],
    cdkNag: [{ id: 'AwsSolutions-ECR1', relation: 'narrower', difference: 'A wildcard principal narrowed by an organization, account or source condition passes: cross-account pulls within an organization are written that way.' }],
    types: ['aws_ecr_repository_policy', 'aws_ecr_registry_policy'],
    check(r, stack) {
      return publicGrants(stack.document(r, 'policy'));
    },
  },
  {
    id: 'AWS-ECR-005',
    severity: 'warning',
    title: 'Repositories are encrypted with a customer managed key',
    rationale: 'Images carry the application\'s code and its dependencies; under the stack\'s key, pulling them needs that key\'s grant too.',
    // checkov resource/aws/ECRRepositoryEncrypted.py
    checkov: [{ id: 'CKV_AWS_136', relation: 'broader', difference: 'CKV_AWS_136 passes encryption_type KMS without a kms_key (the AWS managed aws/ecr key); this rule asks for the key.' }],
    types: ['aws_ecr_repository'],
    check(r) {
      const enc = block(r.body.encryption_configuration);
      return enc?.encryption_type === 'KMS' && enc.kms_key ? undefined : `is encrypted with ${enc?.encryption_type === 'KMS' ? 'the AWS managed key aws/ecr' : 'AES256'} (no customer managed kms_key)`;
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

