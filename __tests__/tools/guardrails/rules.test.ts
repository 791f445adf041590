/**
 * Every rule of the pack fails on a document that breaks it and passes on one that complies (and,
 * where a stack does something on purpose that looks like a violation, passes on that too). The
 * documents are small hand-written Terraform JSON: no synth, milliseconds for the whole file.
 */
import { RULES, RULES_BY_ID, check } from '../../../tools/guardrails';

type Resources = Record<string, Record<string, unknown>>;

/** A stack document from `{ "type.name": body }`, in environment `env` (production rules need "production"). */
function doc(resources: Resources, env = 'dev', extra: Record<string, unknown> = {}): Record<string, any> {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [address, body] of Object.entries(resources)) {
    const [type, name] = address.split('.');
    resource[type] = { ...(resource[type] ?? {}), [name]: { ...body, '//': { metadata: { path: `s/${name}`, uniqueId: name } } } };
  }
  return { '//': { metadata: { stackName: 's' } }, provider: { aws: [{ region: 'eu-west-1', default_tags: [{ tags: { Environment: env } }] }] }, resource, ...extra };
}

const ref = (address: string, attr = 'id') => `\${${address}.${attr}}`;
const json = (v: unknown) => JSON.stringify(v);
const policy = (...Statement: unknown[]) => json({ Version: '2012-10-17', Statement });
const denyHttp = (action: string, resource: unknown = '*') => ({ Effect: 'Deny', Principal: '*', Action: action, Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
/** A bucket policy statement denying requests without TLS on the bucket and its objects. */
const denyBucketHttp = (bucket: string) => denyHttp('s3:*', [ref(bucket, 'arn'), `${ref(bucket, 'arn')}/*`]);

/** A bucket with every companion a compliant one has; `omit` drops some, `override` replaces. */
function bucket(omit: string[] = [], override: Resources = {}, env = 'dev'): Record<string, any> {
  const b = 'aws_s3_bucket.b';
  const all: Resources = {
    [b]: { bucket: 'my-bucket' },
    'aws_s3_bucket_server_side_encryption_configuration.enc': { bucket: ref(b), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }] },
    'aws_s3_bucket_public_access_block.pab': { bucket: ref(b), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    'aws_s3_bucket_policy.pol': { bucket: ref(b), policy: policy(denyBucketHttp(b)) },
    'aws_s3_bucket_versioning.ver': { bucket: ref(b), versioning_configuration: { status: 'Enabled' } },
    'aws_s3_bucket_logging.log': { bucket: ref(b), target_bucket: 'logs', target_prefix: 'b/' },
    'aws_s3_bucket_ownership_controls.own': { bucket: ref(b), rule: { object_ownership: 'BucketOwnerEnforced' } },
    'aws_s3_bucket_lifecycle_configuration.lc': { bucket: ref(b), rule: [{ id: 'abort', status: 'Enabled', abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] },
  };
  const kept = Object.fromEntries(Object.entries(all).filter(([k]) => !omit.includes(k.split('.')[0])));
  return doc({ ...kept, ...override }, env);
}

const lb = (body: Record<string, unknown> = {}) => ({ load_balancer_type: 'application', drop_invalid_header_fields: true, security_groups: [ref('aws_security_group.alb')], ...body });
const taskDef = (containers: unknown[], body: Record<string, unknown> = {}) => ({ family: 'f', network_mode: 'awsvpc', container_definitions: `\${jsonencode(${hcl(containers)})}`, ...body });
const container = (c: Record<string, unknown> = {}) => ({ name: 'app', image: 'x', readonlyRootFilesystem: true, privileged: false, logConfiguration: { logDriver: 'awslogs' }, ...c });
const launchTemplate = (body: Record<string, unknown> = {}) => ({ metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 }, block_device_mappings: [{ device_name: '/dev/xvda', ebs: { encrypted: 'true' } }], ...body });
const queue = (body: Record<string, unknown> = {}) => ({ name: 'q', sqs_managed_sse_enabled: true, ...body });
const fn = (body: Record<string, unknown> = {}) => ({ function_name: 'f', runtime: 'python3.12', tracing_config: { mode: 'Active' }, logging_config: { log_group: ref('aws_cloudwatch_log_group.fl', 'name') }, ...body });
const fnLogs = { 'aws_cloudwatch_log_group.fl': { name: '/aws/lambda/f', retention_in_days: 30 } };
const sg = (id: string, body: Record<string, unknown>) => ({ [`aws_vpc_security_group_ingress_rule.${id}`]: { security_group_id: ref('aws_security_group.app'), description: 'd', ...body } });
const role = (statement: unknown) => ({ 'aws_iam_role_policy.p': { role: 'r', policy: policy(statement) } });

/** HCL-ish rendering the constructs write inside `${jsonencode(...)}` (JSON is valid HCL here). */
function hcl(v: unknown): string {
  return JSON.stringify(v).replace(/":/g, '" =');
}

interface Case {
  readonly fail: Record<string, any>;
  readonly pass: Record<string, any>;
  /** Documents a stack writes on purpose that look like violations but are not. */
  readonly alsoPass?: readonly Record<string, any>[];
  /** More documents that must fail (another way to break the rule). */
  readonly alsoFail?: readonly Record<string, any>[];
}

const CASES: Record<string, Case> = {
  'AWS-S3-001': { fail: bucket(['aws_s3_bucket_server_side_encryption_configuration']), pass: bucket() },
  'AWS-S3-002': {
    fail: bucket([], { 'aws_s3_bucket_public_access_block.pab': { bucket: ref('aws_s3_bucket.b'), block_public_acls: true, block_public_policy: false, ignore_public_acls: true, restrict_public_buckets: true } }),
    pass: bucket(),
    // A companion naming the bucket by its literal name counts.
    alsoPass: [bucket([], { 'aws_s3_bucket_public_access_block.pab': { bucket: 'my-bucket', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } })],
  },
  'AWS-S3-003': { fail: bucket([], { 'aws_s3_bucket_policy.pol': { bucket: ref('aws_s3_bucket.b'), policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:GetObject', Resource: '*' }) } }), pass: bucket() },
  'AWS-S3-004': { fail: bucket(['aws_s3_bucket_versioning']), pass: bucket() },
  'AWS-S3-005': { fail: bucket(['aws_s3_bucket_logging'], {}, 'production'), pass: bucket([], {}, 'production'), alsoPass: [bucket(['aws_s3_bucket_logging'], {}, 'demo')] },
  'AWS-S3-006': { fail: bucket(['aws_s3_bucket_ownership_controls']), pass: bucket() },
  'AWS-S3-007': { fail: bucket(['aws_s3_bucket_lifecycle_configuration']), pass: bucket() },
  'AWS-S3-008': {
    fail: doc({ 'aws_s3_bucket_policy.p': { bucket: 'b', policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) } }),
    pass: doc({ 'aws_s3_bucket_policy.p': { bucket: 'b', policy: policy(denyHttp('s3:*'), { Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: '*' }) } }),
    // Principal "*" narrowed by a condition (an organization, a VPC endpoint) is not public.
    alsoPass: [doc({ 'aws_s3_bucket_policy.p': { bucket: 'b', policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }) } })],
  },
  'AWS-S3-009': { fail: doc({ 'aws_s3_bucket_acl.a': { bucket: 'b', acl: 'public-read' } }), pass: doc({ 'aws_s3_bucket_acl.a': { bucket: 'b', acl: 'private' } }) },
  'AWS-EFS-001': { fail: doc({ 'aws_efs_file_system.f': { encrypted: false } }), pass: doc({ 'aws_efs_file_system.f': { encrypted: true } }) },
  'AWS-EFS-002': {
    fail: doc({ 'aws_efs_file_system.f': { encrypted: true }, 'aws_efs_backup_policy.b': { file_system_id: ref('aws_efs_file_system.f'), backup_policy: { status: 'DISABLED' } } }),
    pass: doc({ 'aws_efs_file_system.f': { encrypted: true }, 'aws_efs_backup_policy.b': { file_system_id: ref('aws_efs_file_system.f'), backup_policy: { status: 'ENABLED' } } }),
  },
  'AWS-EFS-003': { fail: doc({ 'aws_efs_access_point.a': { file_system_id: 'x', root_directory: { path: '/data' } } }), pass: doc({ 'aws_efs_access_point.a': { file_system_id: 'x', posix_user: { uid: 1000, gid: 1000 }, root_directory: { path: '/data' } } }) },
  'AWS-DDB-001': { fail: doc({ 'aws_dynamodb_table.t': { name: 't', point_in_time_recovery: { enabled: false } } }), pass: doc({ 'aws_dynamodb_table.t': { name: 't', point_in_time_recovery: { enabled: true } } }) },
  'AWS-DDB-002': {
    fail: doc({ 'aws_dynamodb_table.t': { name: 't' } }, 'prod'),
    pass: doc({ 'aws_dynamodb_table.t': { name: 't', deletion_protection_enabled: true } }, 'prod'),
    alsoPass: [doc({ 'aws_dynamodb_table.t': { name: 't' } }, 'dev')],
  },
  'AWS-DDB-003': {
    fail: doc({ 'aws_dynamodb_table.t': { name: 't', server_side_encryption: { enabled: false, kms_key_arn: 'arn:aws:kms:eu-west-1:1:key/x' } } }),
    pass: doc({ 'aws_dynamodb_table.t': { name: 't', server_side_encryption: { enabled: true, kms_key_arn: 'arn:aws:kms:eu-west-1:1:key/x' } } }),
  },
  'AWS-VPC-001': { fail: doc({ 'aws_vpc.v': { cidr_block: '10.0.0.0/16' } }), pass: doc({ 'aws_vpc.v': { cidr_block: '10.0.0.0/16' }, 'aws_flow_log.f': { vpc_id: ref('aws_vpc.v'), traffic_type: 'ALL' } }) },
  'AWS-VPC-002': {
    fail: doc({ 'aws_vpc.v': { cidr_block: '10.0.0.0/16' } }),
    pass: doc({ 'aws_vpc.v': { cidr_block: '10.0.0.0/16' }, 'aws_default_security_group.d': { vpc_id: ref('aws_vpc.v') } }),
  },
  'AWS-SG-001': {
    fail: doc({ 'aws_lb.alb': lb(), ...sg('r', { cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 }) }),
    // The load balancer's own group on 80/443 from anywhere is what an internet-facing ALB is for.
    pass: doc({ 'aws_lb.alb': lb(), 'aws_vpc_security_group_ingress_rule.r': { security_group_id: ref('aws_security_group.alb'), cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443, description: 'HTTPS' } }),
    alsoPass: [doc({ ...sg('r', { cidr_ipv4: '10.0.0.0/16', ip_protocol: 'tcp', from_port: 443, to_port: 443 }) })],
  },
  'AWS-SG-002': {
    fail: doc({ ...sg('r', { referenced_security_group_id: ref('aws_security_group.other'), ip_protocol: '-1' }) }),
    pass: doc({ ...sg('r', { referenced_security_group_id: ref('aws_security_group.other'), ip_protocol: 'tcp', from_port: 8000, to_port: 8000 }) }),
    // A NAT instance (source/destination check off) forwards everything the private subnets send.
    alsoPass: [
      doc({
        'aws_instance.nat': { source_dest_check: false, vpc_security_group_ids: [ref('aws_security_group.app')], metadata_options: { http_tokens: 'required' } },
        ...sg('r', { cidr_ipv4: '10.0.0.0/16', ip_protocol: '-1' }),
      }),
    ],
  },
  'AWS-SG-003': { fail: doc({ 'aws_security_group.g': { name_prefix: 'g-', description: 'Managed by Terraform' } }), pass: doc({ 'aws_security_group.g': { name_prefix: 'g-', description: 'The API tasks' } }) },
  'AWS-ALB-001': { fail: doc({ 'aws_lb.a': lb({ drop_invalid_header_fields: false }) }), pass: doc({ 'aws_lb.a': lb() }), alsoPass: [doc({ 'aws_lb.n': { load_balancer_type: 'network' } })] },
  'AWS-ALB-008': {
    fail: doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } }, 'production'),
    pass: doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] }, 'aws_lb_listener.https': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } }, 'production'),
    alsoPass: [
      // Outside production, internal, or behind CloudFront that sends viewers to HTTPS.
      doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } }, 'staging'),
      doc({ 'aws_lb.a': lb({ internal: true }), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } }, 'production'),
      doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] }, 'aws_cloudfront_distribution.d': { origin: [{ domain_name: ref('aws_lb.a', 'dns_name'), origin_id: 'alb' }], default_cache_behavior: [{ viewer_protocol_policy: 'redirect-to-https' }] } }, 'production'),
    ],
    alsoFail: [doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] }, 'aws_cloudfront_distribution.d': { origin: [{ domain_name: ref('aws_lb.a', 'dns_name'), origin_id: 'alb' }], default_cache_behavior: [{ viewer_protocol_policy: 'allow-all' }] } }, 'production')],
  },
  'AWS-ALB-002': {
    fail: doc({
      'aws_lb.a': lb(),
      'aws_lb_listener.https': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
      'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] },
    }),
    pass: doc({
      'aws_lb.a': lb(),
      'aws_lb_listener.https': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' },
      'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }] },
    }),
    // Without a certificate there is no HTTPS listener: forwarding plain HTTP is all there is.
    alsoPass: [doc({ 'aws_lb.a': lb(), 'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } })],
  },
  'AWS-ALB-003': {
    fail: doc({ 'aws_lb_listener.l': { load_balancer_arn: 'x', protocol: 'HTTPS', port: 443 } }),
    pass: doc({ 'aws_lb_listener.l': { load_balancer_arn: 'x', protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' } }),
  },
  'AWS-ALB-004': { fail: doc({ 'aws_lb.a': lb({ enable_deletion_protection: false }) }, 'production'), pass: doc({ 'aws_lb.a': lb({ enable_deletion_protection: true }) }, 'production'), alsoPass: [doc({ 'aws_lb.a': lb() }, 'demo')] },
  'AWS-ALB-005': {
    fail: doc({ 'aws_lb.a': lb() }, 'prod'),
    pass: doc({ 'aws_lb.a': lb({ access_logs: { bucket: 'logs', enabled: true } }) }, 'prod'),
    alsoPass: [doc({ 'aws_lb.a': lb() }, 'staging')],
  },
  'AWS-ALB-006': { fail: doc({ 'aws_lb.a': lb({ desync_mitigation_mode: 'monitor' }) }), pass: doc({ 'aws_lb.a': lb({ desync_mitigation_mode: 'defensive' }) }) },
  'AWS-ALB-007': { fail: doc({ 'aws_lb_target_group.t': { health_check: { enabled: false } } }), pass: doc({ 'aws_lb_target_group.t': { health_check: { enabled: true, path: '/health' } } }) },
  'AWS-ECS-001': { fail: doc({ 'aws_ecs_task_definition.t': taskDef([container({ privileged: true })]) }), pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()]) }) },
  'AWS-ECS-002': { fail: doc({ 'aws_ecs_task_definition.t': taskDef([container({ readonlyRootFilesystem: false })]) }), pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()]) }) },
  'AWS-ECS-003': { fail: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { network_mode: 'bridge' }) }), pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()]) }) },
  'AWS-ECS-004': { fail: doc({ 'aws_ecs_task_definition.t': taskDef([container(), container({ name: 'sidecar', logConfiguration: undefined })]) }), pass: doc({ 'aws_ecs_task_definition.t': taskDef([container(), container({ name: 'sidecar' })]) }) },
  'AWS-ECS-005': {
    fail: doc({ 'aws_ecs_task_definition.t': taskDef([container({ environment: [{ name: 'OPENAI_API_KEY', value: 'sk-live-123' }] })]) }),
    pass: doc({ 'aws_ecs_task_definition.t': taskDef([container({ environment: [{ name: 'PORT', value: '8000' }], secrets: [{ name: 'OPENAI_API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:1:secret:x' }] })]) }),
    // A pointer to a secret (its ARN, its name) is not the secret.
    alsoPass: [doc({ 'aws_ecs_task_definition.t': taskDef([container({ environment: [{ name: 'API_KEY_SECRET_ARN', value: '${aws_secretsmanager_secret.s.arn}' }, { name: 'TOKEN_NAME', value: 'svc-token' }] })]) })],
  },
  'AWS-ECS-006': {
    fail: doc({ 'aws_ecs_cluster.c': { name: 'c', setting: [{ name: 'containerInsights', value: 'disabled' }] } }),
    pass: doc({ 'aws_ecs_cluster.c': { name: 'c', setting: [{ name: 'containerInsights', value: 'enhanced' }] } }),
  },
  'AWS-ECS-007': {
    fail: doc({ 'aws_ecs_service.s': { network_configuration: { assign_public_ip: true, subnets: [] }, deployment_circuit_breaker: { enable: true, rollback: true } } }),
    pass: doc({ 'aws_ecs_service.s': { network_configuration: { assign_public_ip: false, subnets: [] }, deployment_circuit_breaker: { enable: true, rollback: true } } }),
  },
  'AWS-ECS-008': { fail: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { pid_mode: 'host' }) }), pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { pid_mode: 'task' }) }) },
  'AWS-ECS-009': {
    fail: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { volume: [{ name: 'v', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'DISABLED' } }] }) }),
    pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { volume: [{ name: 'v', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'ENABLED' } }] }) }),
  },
  'AWS-ECS-010': {
    fail: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { execution_role_arn: ref('aws_iam_role.r', 'arn'), task_role_arn: ref('aws_iam_role.r', 'arn') }) }),
    pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { execution_role_arn: ref('aws_iam_role.e', 'arn'), task_role_arn: ref('aws_iam_role.t', 'arn') }) }),
  },
  'AWS-ECS-011': {
    fail: doc({ 'aws_ecs_service.s': { network_configuration: { assign_public_ip: false } } }),
    pass: doc({ 'aws_ecs_service.s': { deployment_circuit_breaker: { enable: true, rollback: true } } }),
    // CodeDeploy blue/green rolls back on its own.
    alsoPass: [doc({ 'aws_ecs_service.s': { deployment_controller: { type: 'CODE_DEPLOY' } } })],
  },
  'AWS-ECS-012': {
    fail: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { volume: [{ name: 'v', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'ENABLED', authorization_config: { access_point_id: 'fsap-1', iam: 'DISABLED' } } }] }) }),
    pass: doc({ 'aws_ecs_task_definition.t': taskDef([container()], { volume: [{ name: 'v', efs_volume_configuration: { file_system_id: 'fs', transit_encryption: 'ENABLED', authorization_config: { access_point_id: 'fsap-1', iam: 'ENABLED' } } }] }) }),
  },
  'AWS-EC2-001': {
    fail: doc({ 'aws_launch_template.l': launchTemplate({ metadata_options: { http_tokens: 'optional' } }) }),
    pass: doc({ 'aws_launch_template.l': launchTemplate() }),
    alsoPass: [doc({ 'aws_launch_template.l': launchTemplate({ metadata_options: { http_endpoint: 'disabled' } }) })],
  },
  'AWS-EC2-002': { fail: doc({ 'aws_launch_template.l': launchTemplate({ metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 3 } }) }), pass: doc({ 'aws_launch_template.l': launchTemplate() }) },
  'AWS-EC2-003': {
    fail: doc({ 'aws_launch_template.l': launchTemplate({ block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 50 } }] }) }),
    pass: doc({ 'aws_launch_template.l': launchTemplate() }),
    alsoPass: [doc({ 'aws_instance.i': { metadata_options: { http_tokens: 'required' }, root_block_device: { encrypted: true } } })],
  },
  'AWS-EC2-004': {
    fail: doc({ 'aws_launch_template.l': launchTemplate({ network_interfaces: [{ associate_public_ip_address: 'true' }] }) }),
    pass: doc({ 'aws_launch_template.l': launchTemplate({ network_interfaces: [{ associate_public_ip_address: 'false' }] }) }),
  },
  'AWS-EC2-005': { fail: doc({ 'aws_autoscaling_group.g': { launch_configuration: 'lc' } }), pass: doc({ 'aws_autoscaling_group.g': { launch_template: { id: 'lt', version: '1' } } }) },
  'AWS-BATCH-001': {
    fail: doc({ 'aws_batch_job_definition.j': { type: 'container', container_properties: json({ image: 'x', privileged: true }) } }),
    pass: doc({ 'aws_batch_job_definition.j': { type: 'container', container_properties: json({ image: 'x', environment: [{ name: 'BUCKET', value: 'b' }] }) } }),
  },
  'AWS-ECR-001': { fail: doc({ 'aws_ecr_repository.r': { name: 'r', image_scanning_configuration: { scan_on_push: false } } }), pass: doc({ 'aws_ecr_repository.r': { name: 'r', image_scanning_configuration: { scan_on_push: true } } }) },
  'AWS-ECR-002': {
    fail: doc({ 'aws_ecr_repository.r': { name: 'r', image_tag_mutability: 'MUTABLE' } }, 'production'),
    pass: doc({ 'aws_ecr_repository.r': { name: 'r', image_tag_mutability: 'IMMUTABLE' } }, 'production'),
    alsoPass: [doc({ 'aws_ecr_repository.r': { name: 'r', image_tag_mutability: 'MUTABLE' } }, 'demo')],
  },
  'AWS-ECR-003': {
    fail: doc({ 'aws_ecr_repository.r': { name: 'r' } }),
    pass: doc({ 'aws_ecr_repository.r': { name: 'r' }, 'aws_ecr_lifecycle_policy.l': { repository: ref('aws_ecr_repository.r', 'name'), policy: '{}' } }),
  },
  'AWS-ECR-004': {
    fail: doc({ 'aws_ecr_repository_policy.p': { repository: 'r', policy: policy({ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }) } }),
    pass: doc({ 'aws_ecr_repository_policy.p': { repository: 'r', policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'ecr:BatchGetImage' }) } }),
  },
  'AWS-IAM-001': { fail: doc(role({ Effect: 'Allow', Action: '*', Resource: '*' })), pass: doc(role({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' })) },
  'AWS-IAM-002': {
    fail: doc(role({ Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::b' })),
    pass: doc(role({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' })),
    // A Deny on everything (a permission boundary style guard) grants nothing.
    alsoPass: [doc(role({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))],
  },
  'AWS-IAM-003': {
    fail: doc({ 'aws_iam_role_policy_attachment.a': { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
    pass: doc({ 'aws_iam_role_policy_attachment.a': { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' } }),
  },
  'AWS-IAM-004': {
    fail: doc({ 'aws_iam_role.r': { assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }) } }),
    pass: doc({ 'aws_iam_role.r': { assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }) } }),
  },
  'AWS-IAM-005': { fail: doc(role({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' })), pass: doc(role({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '${aws_iam_role.task.arn}' })) },
  'AWS-IAM-006': { fail: doc({ 'aws_iam_user_policy_attachment.a': { user: 'ci', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }), pass: doc({ 'aws_iam_role_policy_attachment.a': { role: 'ci', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }) },
  'AWS-KMS-001': {
    fail: doc({ 'aws_kms_key.k': { enable_key_rotation: false, policy: policy() } }),
    pass: doc({ 'aws_kms_key.k': { enable_key_rotation: true, policy: policy() } }),
    alsoPass: [doc({ 'aws_kms_key.k': { customer_master_key_spec: 'RSA_2048', policy: policy() } })],
  },
  'AWS-KMS-002': {
    fail: doc({ 'aws_kms_key.k': { enable_key_rotation: true, policy: policy({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }) } }),
    pass: doc({ 'aws_kms_key.k': { enable_key_rotation: true, policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:root' }, Action: 'kms:*', Resource: '*' }) } }),
  },
  'AWS-KMS-003': { fail: doc({ 'aws_kms_key.k': { enable_key_rotation: true } }), pass: doc({ 'aws_kms_key.k': { enable_key_rotation: true, policy: policy() } }) },
  'AWS-SM-001': { fail: doc({ 'aws_secretsmanager_secret_version.v': { secret_id: 'x', secret_string: 'hunter2' } }), pass: doc({ 'aws_secretsmanager_secret_version.v': { secret_id: 'x', secret_string: '${var.api_key}' } }) },
  'AWS-SM-002': { fail: doc({ 'aws_secretsmanager_secret.s': { name: 's', recovery_window_in_days: 0 } }), pass: doc({ 'aws_secretsmanager_secret.s': { name: 's', recovery_window_in_days: 30 } }) },
  'AWS-TF-001': {
    fail: doc({}, 'dev', { variable: { api_key: { type: 'string', default: 'abc' } } }),
    pass: doc({}, 'dev', { variable: { api_key: { type: 'string', sensitive: true }, region: { type: 'string', default: 'eu-west-1' } } }),
  },
  'AWS-SQS-001': { fail: doc({ 'aws_sqs_queue.q': queue({ sqs_managed_sse_enabled: false }) }), pass: doc({ 'aws_sqs_queue.q': queue({ sqs_managed_sse_enabled: undefined, kms_master_key_id: 'alias/k' }) }) },
  'AWS-SQS-002': {
    fail: doc({ 'aws_sqs_queue.q': queue() }),
    pass: doc({ 'aws_sqs_queue.dlq': queue(), 'aws_sqs_queue.q': queue({ redrive_policy: `\${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.dlq.arn, "maxReceiveCount" = 3})}` }) }),
    // A function's dead-letter queue is one (cdk-nag's SQS3 reads it so).
    alsoPass: [doc({ 'aws_sqs_queue.dlq': queue(), 'aws_lambda_function.f': fn({ dead_letter_config: { target_arn: ref('aws_sqs_queue.dlq', 'arn') } }), ...fnLogs })],
  },
  'AWS-SQS-003': {
    fail: doc({ 'aws_sqs_queue.q': queue() }),
    pass: doc({ 'aws_sqs_queue.q': queue(), 'aws_sqs_queue_policy.p': { queue_url: ref('aws_sqs_queue.q', 'url'), policy: policy(denyHttp('sqs:*')) } }),
  },
  'AWS-SQS-004': {
    fail: doc({ 'aws_sqs_queue_policy.p': { queue_url: 'u', policy: policy({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }) } }),
    pass: doc({ 'aws_sqs_queue_policy.p': { queue_url: 'u', policy: policy({ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*', Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::b' } } }) } }),
  },
  'AWS-SNS-001': { fail: doc({ 'aws_sns_topic.t': { name: 't' } }), pass: doc({ 'aws_sns_topic.t': { name: 't', kms_master_key_id: 'alias/aws/sns' } }) },
  'AWS-SNS-002': {
    fail: doc({ 'aws_sns_topic.t': { name: 't' } }),
    pass: doc({ 'aws_sns_topic.t': { name: 't' }, 'aws_sns_topic_policy.p': { arn: ref('aws_sns_topic.t', 'arn'), policy: policy(denyHttp('sns:Publish')) } }),
  },
  'AWS-SNS-003': {
    fail: doc({ 'aws_sns_topic_policy.p': { arn: 'x', policy: policy({ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'sns:Publish', Resource: '*' }) } }),
    pass: doc({ 'aws_sns_topic_policy.p': { arn: 'x', policy: policy({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: '*' }) } }),
  },
  'AWS-SNS-004': {
    fail: doc({ 'aws_sns_topic.t': { name: 't' }, 'aws_cloudwatch_metric_alarm.a': { alarm_name: 'a', alarm_actions: [ref('aws_sns_topic.t', 'arn')] } }),
    pass: doc({ 'aws_sns_topic.t': { name: 't' }, 'aws_cloudwatch_metric_alarm.a': { alarm_name: 'a', alarm_actions: [ref('aws_sns_topic.t', 'arn')] }, 'aws_sns_topic_subscription.s': { topic_arn: ref('aws_sns_topic.t', 'arn'), protocol: 'email', endpoint: 'ops@example.org' } }),
    alsoFail: [doc({ 'aws_sns_topic.t': { name: 't' }, 'aws_budgets_budget.b': { budget_type: 'COST', notification: [{ subscriber_sns_topic_arns: [ref('aws_sns_topic.t', 'arn')] }] } })],
    // A topic nothing alarms to (job notifications only), and alarms to a topic of another owner.
    alsoPass: [doc({ 'aws_sns_topic.t': { name: 't' } }), doc({ 'aws_cloudwatch_metric_alarm.a': { alarm_name: 'a', alarm_actions: ['arn:aws:sns:eu-west-1:123456789012:oncall'] } })],
  },
  'AWS-LMB-008': {
    fail: doc({ 'aws_lambda_function.f': fn({ environment: { variables: { TABLE: 't' } } }), ...fnLogs }),
    pass: doc({ 'aws_lambda_function.f': fn({ environment: { variables: { TABLE: 't' } }, kms_key_arn: ref('aws_kms_key.k', 'arn') }), ...fnLogs }),
    // Nothing to encrypt without variables.
    alsoPass: [doc({ 'aws_lambda_function.f': fn(), ...fnLogs })],
  },
  'AWS-LOG-002': { fail: doc({ 'aws_cloudwatch_log_group.g': { name: 'g', retention_in_days: 30 } }), pass: doc({ 'aws_cloudwatch_log_group.g': { name: 'g', retention_in_days: 30, kms_key_id: ref('aws_kms_key.k', 'arn') } }) },
  'AWS-SM-003': {
    fail: doc({ 'aws_secretsmanager_secret.s': { name: 's' } }),
    pass: doc({ 'aws_secretsmanager_secret.s': { name: 's', kms_key_id: ref('aws_kms_key.k', 'arn') } }),
    alsoFail: [doc({ 'aws_secretsmanager_secret.s': { name: 's', kms_key_id: 'alias/aws/secretsmanager' } })],
  },
  'AWS-ECR-005': {
    fail: doc({ 'aws_ecr_repository.r': { name: 'r', encryption_configuration: [{ encryption_type: 'AES256' }] } }),
    pass: doc({ 'aws_ecr_repository.r': { name: 'r', encryption_configuration: [{ encryption_type: 'KMS', kms_key: ref('aws_kms_key.k', 'arn') }] } }),
    alsoFail: [doc({ 'aws_ecr_repository.r': { name: 'r', encryption_configuration: [{ encryption_type: 'KMS' }] } })],
  },
  'AWS-EFS-004': { fail: doc({ 'aws_efs_file_system.f': { encrypted: true } }), pass: doc({ 'aws_efs_file_system.f': { encrypted: true, kms_key_id: ref('aws_kms_key.k', 'arn') } }) },
  'AWS-API-008': {
    fail: doc({ 'aws_batch_compute_environment.gpu': { type: 'MANAGED' }, 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE' } }),
    pass: doc({ 'aws_batch_compute_environment.gpu': { type: 'MANAGED' }, 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE' }, 'aws_budgets_budget_action.stop': { action_type: 'APPLY_IAM_POLICY' } }),
    alsoFail: [doc({ 'aws_batch_compute_environment.gpu': { type: 'MANAGED' }, 'aws_apigatewayv2_route.r': { route_key: 'POST /upload' } })],
    alsoPass: [
      // With an API key, for reads only, or in a stack without paid jobs.
      doc({ 'aws_batch_compute_environment.gpu': { type: 'MANAGED' }, 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE', api_key_required: true } }),
      doc({ 'aws_batch_compute_environment.gpu': { type: 'MANAGED' }, 'aws_api_gateway_method.m': { http_method: 'GET', authorization: 'NONE' } }),
      doc({ 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE' } }),
    ],
  },
  'AWS-LMB-001': {
    fail: doc({ 'aws_lambda_function.f': fn({ environment: { variables: { DB_PASSWORD: 'hunter2' } } }), ...fnLogs }),
    pass: doc({ 'aws_lambda_function.f': fn({ environment: { variables: { GEMINI_API_KEY_SECRET_ARN: '${aws_secretsmanager_secret.s.arn}', TABLE: 't' } } }), ...fnLogs }),
  },
  'AWS-LMB-002': { fail: doc({ 'aws_lambda_function.f': fn({ tracing_config: { mode: 'PassThrough' } }), ...fnLogs }), pass: doc({ 'aws_lambda_function.f': fn(), ...fnLogs }) },
  'AWS-LMB-003': { fail: doc({ 'aws_lambda_function.f': fn({ runtime: 'python3.8' }), ...fnLogs }), pass: doc({ 'aws_lambda_function.f': fn({ runtime: 'nodejs22.x' }), ...fnLogs }) },
  'AWS-LMB-004': {
    fail: doc({ 'aws_lambda_permission.p': { function_name: 'f', action: 'lambda:InvokeFunction', principal: 's3.amazonaws.com' } }),
    pass: doc({ 'aws_lambda_permission.p': { function_name: 'f', action: 'lambda:InvokeFunction', principal: 'apigateway.amazonaws.com', source_arn: '${aws_api_gateway_rest_api.a.execution_arn}/*/*' } }),
  },
  'AWS-LMB-005': {
    fail: doc({ 'aws_lambda_function.f': fn({ logging_config: undefined }) }),
    pass: doc({ 'aws_lambda_function.f': fn({ logging_config: undefined }), 'aws_cloudwatch_log_group.g': { name: '/aws/lambda/f', retention_in_days: 14 } }),
  },
  'AWS-LMB-006': { fail: doc({ 'aws_lambda_function_url.u': { function_name: 'f', authorization_type: 'NONE' } }), pass: doc({ 'aws_lambda_function_url.u': { function_name: 'f', authorization_type: 'AWS_IAM' } }) },
  'AWS-LMB-007': {
    fail: doc({ 'aws_lambda_function.f': fn(), ...fnLogs, 'aws_lambda_permission.p': { function_name: ref('aws_lambda_function.f', 'function_name'), principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::b' } }),
    pass: doc({ 'aws_lambda_function.f': fn({ dead_letter_config: { target_arn: ref('aws_sqs_queue.dlq', 'arn') } }), ...fnLogs, 'aws_lambda_permission.p': { function_name: ref('aws_lambda_function.f', 'function_name'), principal: 's3.amazonaws.com', source_arn: 'arn:aws:s3:::b' } }),
    // API Gateway invokes synchronously: the caller sees the error.
    alsoPass: [doc({ 'aws_lambda_function.f': fn(), ...fnLogs, 'aws_lambda_permission.p': { function_name: ref('aws_lambda_function.f', 'function_name'), principal: 'apigateway.amazonaws.com', source_arn: 'x' } })],
  },
  'AWS-API-001': { fail: doc({ 'aws_api_gateway_stage.s': { stage_name: 'v1', xray_tracing_enabled: true } }), pass: doc({ 'aws_api_gateway_stage.s': { stage_name: 'v1', access_log_settings: { destination_arn: 'arn:aws:logs:x', format: '{}' } } }) },
  'AWS-API-002': { fail: doc({ 'aws_apigatewayv2_stage.s': { name: '$default' } }), pass: doc({ 'aws_apigatewayv2_stage.s': { name: '$default', access_log_settings: { destination_arn: 'arn:aws:logs:x', format: '{}' } } }) },
  'AWS-API-003': {
    fail: doc({ 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE' } }),
    pass: doc({ 'aws_api_gateway_method.m': { http_method: 'POST', authorization: 'NONE', api_key_required: true } }),
    // CORS preflight carries no credentials by design.
    alsoPass: [doc({ 'aws_api_gateway_method.m': { http_method: 'OPTIONS', authorization: 'NONE' } }), doc({ 'aws_api_gateway_method.m': { http_method: 'GET', authorization: 'COGNITO_USER_POOLS', authorizer_id: 'a' } })],
  },
  'AWS-API-004': {
    fail: doc({ 'aws_apigatewayv2_route.r': { route_key: '$default', target: 'integrations/1' } }),
    pass: doc({ 'aws_apigatewayv2_route.r': { route_key: '$default', authorization_type: 'JWT', authorizer_id: 'a' } }),
    alsoPass: [doc({ 'aws_apigatewayv2_route.r': { route_key: 'OPTIONS /items' } })],
  },
  'AWS-API-005': { fail: doc({ 'aws_api_gateway_stage.s': { stage_name: 'v1' } }), pass: doc({ 'aws_api_gateway_stage.s': { stage_name: 'v1', xray_tracing_enabled: true } }) },
  'AWS-API-006': {
    fail: doc({ 'aws_api_gateway_method_settings.m': { method_path: '*/*', settings: { data_trace_enabled: true } } }),
    pass: doc({ 'aws_api_gateway_method_settings.m': { method_path: '*/*', settings: { logging_level: 'ERROR' } } }),
  },
  'AWS-API-007': {
    fail: doc({ 'aws_api_gateway_stage.s': { rest_api_id: ref('aws_api_gateway_rest_api.a'), stage_name: 'v1' } }),
    pass: doc({
      'aws_api_gateway_stage.s': { rest_api_id: ref('aws_api_gateway_rest_api.a'), stage_name: 'v1' },
      'aws_api_gateway_method_settings.m': { rest_api_id: ref('aws_api_gateway_rest_api.a'), stage_name: ref('aws_api_gateway_stage.s', 'stage_name'), method_path: '*/*', settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 } },
    }),
    alsoPass: [doc({ 'aws_apigatewayv2_stage.s': { name: '$default', default_route_settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 } } })],
  },
  'AWS-LOG-001': { fail: doc({ 'aws_cloudwatch_log_group.g': { name: '/x' } }), pass: doc({ 'aws_cloudwatch_log_group.g': { name: '/x', retention_in_days: 30 } }) },
  'AWS-CW-001': {
    fail: doc({ 'aws_cloudwatch_metric_alarm.a': { alarm_name: 'a', alarm_actions: [] } }),
    pass: doc({ 'aws_cloudwatch_metric_alarm.a': { alarm_name: 'a', alarm_actions: ['${aws_sns_topic.t.arn}'], ok_actions: ['${aws_sns_topic.t.arn}'] } }),
  },
};

it('has a failing and a passing case for every rule, and a case only for rules that exist', () => {
  expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
});

it('has at least 50 rules with stable, unique ids, a severity, a title and a one-line rationale', () => {
  expect(RULES.length).toBeGreaterThanOrEqual(50);
  expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  for (const r of RULES) {
    expect({ id: r.id, ok: /^AWS-[A-Z0-9]+-\d{3}$/.test(r.id) && ['error', 'warning', 'gate'].includes(r.severity) && r.title.length > 0 && r.rationale.length > 0 && !r.rationale.includes('\n') && r.types.length > 0 }).toEqual({ id: r.id, ok: true });
  }
});

/** A statement for everyone, with a condition that narrows nothing (it only asks for TLS). */
const everyoneOverTls = (action: string, resource = '*') => ({ Effect: 'Allow', Principal: '*', Action: action, Resource: resource, Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
const PUBLIC = 'has a wildcard principal and no condition narrowing it to an account, organization, network or source';
// AWS's documented example access key id, assembled so no credential-shaped literal is committed.
const AWS_KEY = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');

/**
 * Rules changed to flag what their checkov or cdk-nag counterparts flag: for each, a document the
 * rule passed before the change, and the exact findings it gives now.
 */
const NEWLY_FLAGGED: readonly [rule: string, what: string, document: Record<string, any>, messages: string[]][] = [
  ['AWS-S3-002', 'a public access block with a flag off, whatever bucket it belongs to', doc({ 'aws_s3_bucket_public_access_block.p': { bucket: 'elsewhere', block_public_acls: false, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } }), ['does not turn on block_public_acls']],
  [
    'AWS-S3-003',
    'a TLS-only statement that denies one action, or covers the objects only',
    bucket([], {
      'aws_s3_bucket_policy.pol': { bucket: ref('aws_s3_bucket.b'), policy: policy(denyHttp('s3:GetObject', [ref('aws_s3_bucket.b', 'arn'), `${ref('aws_s3_bucket.b', 'arn')}/*`]), denyHttp('s3:*', `${ref('aws_s3_bucket.b', 'arn')}/*`)) },
    }),
    ['has no bucket policy denying s3:* on the bucket and its objects to requests with aws:SecureTransport false'],
  ],
  ['AWS-S3-006', 'ownership controls that keep ACLs', doc({ 'aws_s3_bucket_ownership_controls.o': { bucket: 'elsewhere', rule: { object_ownership: 'ObjectWriter' } } }), ['sets object ownership "ObjectWriter", not "BucketOwnerEnforced" (ACLs stay enabled)']],
  [
    'AWS-S3-007',
    'an abort rule limited to a prefix',
    bucket([], { 'aws_s3_bucket_lifecycle_configuration.lc': { bucket: ref('aws_s3_bucket.b'), rule: [{ id: 'abort', status: 'Enabled', filter: [{ prefix: 'uploads/' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] } }),
    ['has no enabled rule aborting the incomplete multipart uploads of the whole bucket (one with no prefix, size or tag filter)'],
  ],
  ['AWS-S3-008', 'everyone under a condition that narrows nothing', doc({ 'aws_s3_bucket_policy.p': { bucket: 'b', policy: policy(everyoneOverTls('s3:GetObject', 'arn:aws:s3:::b/*')) } }), [`allows everyone: statement (Allow s3:GetObject on arn:aws:s3:::b/*) ${PUBLIC}`]],
  [
    'AWS-S3-009',
    'a grant to all users',
    doc({ 'aws_s3_bucket_acl.a': { bucket: 'b', access_control_policy: { owner: { id: 'o' }, grant: [{ permission: 'READ', grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' } }] } } }),
    ['grants READ to http://acs.amazonaws.com/groups/global/AllUsers'],
  ],
  ['AWS-EFS-003', 'a root directory of "/"', doc({ 'aws_efs_access_point.a': { file_system_id: 'x', posix_user: { uid: 1000, gid: 1000 }, root_directory: { path: '/' } } }), ['does not enforce root_directory.path (a root directory of "/" is the whole file system)']],
  [
    'AWS-VPC-002',
    'a rule resource on the default security group',
    doc({ 'aws_vpc.v': { cidr_block: '10.0.0.0/16' }, 'aws_default_security_group.d': { vpc_id: ref('aws_vpc.v') }, 'aws_vpc_security_group_ingress_rule.r': { security_group_id: ref('aws_default_security_group.d'), ip_protocol: '-1', referenced_security_group_id: ref('aws_default_security_group.d'), description: 'self' } }),
    ['keeps 1 rule(s) on the default security group; it should have none'],
  ],
  ['AWS-SG-001', 'every IPv6 address written in full', doc({ ...sg('r', { cidr_ipv6: '0000:0000:0000:0000:0000:0000:0000:0000/0', ip_protocol: 'tcp', from_port: 22, to_port: 22 }) }), ['allows tcp 22 from 0000:0000:0000:0000:0000:0000:0000:0000/0']],
  ['AWS-SG-003', 'a one-character description', doc({ 'aws_security_group.g': { name_prefix: 'g-', description: 'x' } }), ['has a description that says nothing ("x")']],
  ['AWS-ALB-005', 'access logs given a bucket but not enabled', doc({ 'aws_lb.a': lb({ access_logs: { bucket: 'logs' } }) }, 'prod'), ['writes no access logs in the prod environment']],
  ['AWS-ALB-006', 'a classic load balancer in monitor mode', doc({ 'aws_elb.c': { listener: [], desync_mitigation_mode: 'monitor' } }), ['has desync_mitigation_mode "monitor"']],
  ['AWS-ALB-007', 'an HTTP target group left on the default health check', doc({ 'aws_lb_target_group.t': { protocol: 'HTTP', port: 8000 } }), ['has no health check path (health_check.path) for its HTTP targets']],
  ['AWS-ECS-005', 'an access key under a plain name', doc({ 'aws_ecs_task_definition.t': taskDef([container({ environment: [{ name: 'CONFIG', value: AWS_KEY }] })]) }), ['container "app" has secret-looking plain environment variable(s) CONFIG; pass them as secrets']],
  ['AWS-EC2-001', 'a launch configuration', doc({ 'aws_launch_configuration.c': { image_id: 'ami-1', instance_type: 't3.micro', root_block_device: { encrypted: true } } }), ['does not require IMDSv2 (metadata_options.http_tokens = "required")']],
  ['AWS-EC2-002', 'a hop limit written as a string', doc({ 'aws_launch_template.l': launchTemplate({ metadata_options: { http_tokens: 'required', http_put_response_hop_limit: '3' } }) }), ['has an IMDS response hop limit of 3']],
  [
    'AWS-EC2-003',
    'an instance that leaves its root volume to the AMI, a template with no volume, and a volume from a snapshot',
    doc({
      'aws_instance.i': { metadata_options: { http_tokens: 'required' } },
      'aws_launch_template.bare': launchTemplate({ block_device_mappings: undefined }),
      'aws_launch_template.snap': launchTemplate({ block_device_mappings: [{ device_name: '/dev/xvda', ebs: { snapshot_id: 'snap-1' } }] }),
    }),
    ['declares no EBS volume (block_device_mappings with ebs.encrypted = true), so its instances boot the AMI\'s volumes as they are', 'has an EBS volume that is not encrypted (ebs.encrypted = true)', 'does not declare its root volume (root_block_device with encrypted = true)'],
  ],
  ['AWS-BATCH-001', 'an access key under a plain name', doc({ 'aws_batch_job_definition.j': { type: 'container', container_properties: json({ image: 'x', environment: [{ name: 'CONFIG', value: AWS_KEY }] }) } }), ['has secret-looking plain environment variable(s) CONFIG']],
  ['AWS-ECR-004', 'a registry policy for everyone', doc({ 'aws_ecr_registry_policy.p': { policy: policy(everyoneOverTls('ecr:ReplicateImage')) } }), [`allows everyone: statement (Allow ecr:ReplicateImage on *) ${PUBLIC}`]],
  ['AWS-IAM-001', 'a permission set\'s inline policy', doc({ 'aws_ssoadmin_permission_set_inline_policy.p': { instance_arn: 'i', permission_set_arn: 'p', inline_policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) } }), ['grants administrator access: statement (Allow * on *)']],
  ['AWS-IAM-002', 'a permission set\'s inline policy', doc({ 'aws_ssoadmin_permission_set_inline_policy.p': { instance_arn: 'i', permission_set_arn: 'p', inline_policy: policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }) } }), ['allows s3:*: statement (Allow s3:* on arn:aws:s3:::b)']],
  ['AWS-IAM-003', 'a permission set\'s managed policy', doc({ 'aws_ssoadmin_managed_policy_attachment.a': { instance_arn: 'i', permission_set_arn: 'p', managed_policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }), ['attaches arn:aws:iam::aws:policy/AdministratorAccess']],
  ['AWS-IAM-004', 'everyone under a condition that narrows nothing', doc({ 'aws_iam_role.r': { assume_role_policy: policy({ ...everyoneOverTls('sts:AssumeRole'), Principal: { AWS: '*' }, Resource: undefined }) } }), ['can be assumed by anyone: statement (Allow sts:AssumeRole)']],
  [
    'AWS-IAM-005',
    'other escalation actions on every resource',
    doc(role({ Effect: 'Allow', Action: ['iam:Put*Policy', 'lambda:UpdateFunctionCode', 's3:GetObject'], Resource: '*' })),
    ['allows iam:PutUserPolicy, iam:PutGroupPolicy, iam:PutRolePolicy, lambda:UpdateFunctionCode on every resource: statement (Allow iam:Put*Policy, lambda:UpdateFunctionCode, s3:GetObject on *)'],
  ],
  ['AWS-IAM-006', 'a shared attachment naming a user', doc({ 'aws_iam_policy_attachment.a': { name: 'a', users: ['ci'], policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }), ['attaches a policy to IAM user(s) "ci"']],
  ['AWS-KMS-002', 'every account by ARN', doc({ 'aws_kms_key.k': { enable_key_rotation: true, policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' }, Action: 'kms:Decrypt', Resource: '*' }) } }), [`allows everyone: statement (Allow kms:Decrypt on *) ${PUBLIC}`]],
  ['AWS-SQS-001', 'a queue that leaves its encryption to the default', doc({ 'aws_sqs_queue.q': { name: 'q' } }), ['does not declare its encryption (sqs_managed_sse_enabled = true or a kms_master_key_id)']],
  ['AWS-SQS-002', 'a queue that only allows others to use it as their dead-letter queue', doc({ 'aws_sqs_queue.q': queue({ redrive_allow_policy: json({ redrivePermission: 'allowAll' }) }) }), ['has no dead-letter queue (redrive_policy) and is no queue\'s or function\'s dead-letter queue']],
  [
    'AWS-SQS-003',
    'a TLS-only statement denying one action',
    doc({ 'aws_sqs_queue.q': queue(), 'aws_sqs_queue_policy.p': { queue_url: ref('aws_sqs_queue.q', 'url'), policy: policy(denyHttp('sqs:SendMessage')) } }),
    ['has no queue policy denying sqs:* to requests with aws:SecureTransport false'],
  ],
  ['AWS-SQS-004', 'everyone under a condition that narrows nothing', doc({ 'aws_sqs_queue_policy.p': { queue_url: 'u', policy: policy(everyoneOverTls('sqs:SendMessage')) } }), [`allows everyone: statement (Allow sqs:SendMessage on *) ${PUBLIC}`]],
  [
    'AWS-SNS-002',
    'a TLS-only statement denying another action',
    doc({ 'aws_sns_topic.t': { name: 't' }, 'aws_sns_topic_policy.p': { arn: ref('aws_sns_topic.t', 'arn'), policy: policy(denyHttp('sns:Subscribe')) } }),
    ['has no topic policy denying sns:Publish to requests with aws:SecureTransport false'],
  ],
  ['AWS-SNS-003', 'every account by ARN', doc({ 'aws_sns_topic_policy.p': { arn: 'x', policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::*:root' }, Action: 'sns:Publish', Resource: '*' }) } }), [`allows everyone: statement (Allow sns:Publish on *) ${PUBLIC}`]],
  ['AWS-LMB-001', 'an access key under a plain name', doc({ 'aws_lambda_function.f': fn({ environment: { variables: { CONFIG: AWS_KEY } } }), ...fnLogs }), ['has secret-looking environment variable(s) CONFIG; store them in Secrets Manager and pass the ARN']],
  ['AWS-LMB-003', 'python3.9', doc({ 'aws_lambda_function.f': fn({ runtime: 'python3.9' }), ...fnLogs }), ['uses the deprecated runtime "python3.9"']],
  ['AWS-LMB-004', 'a service principal of another partition', doc({ 'aws_lambda_permission.p': { function_name: 'f', action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com.cn' } }), ['lets events.amazonaws.com.cn invoke the function for any account (no source_arn or source_account)']],
  ['AWS-API-001', 'access logs with no format', doc({ 'aws_api_gateway_stage.s': { stage_name: 'v1', access_log_settings: { destination_arn: 'arn:aws:logs:x' } } }), ['writes no access logs (access_log_settings with a destination_arn and a format)']],
  ['AWS-API-002', 'access logs with no format', doc({ 'aws_apigatewayv2_stage.s': { name: '$default', access_log_settings: { destination_arn: 'arn:aws:logs:x' } } }), ['writes no access logs (access_log_settings with a destination_arn and a format)']],
  [
    'AWS-API-007',
    'throttling of one method only, and a rate without a burst',
    doc({
      'aws_api_gateway_stage.s': { rest_api_id: ref('aws_api_gateway_rest_api.a'), stage_name: 'v1' },
      'aws_api_gateway_method_settings.m': { rest_api_id: ref('aws_api_gateway_rest_api.a'), stage_name: ref('aws_api_gateway_stage.s', 'stage_name'), method_path: 'items/GET', settings: { throttling_rate_limit: 50, throttling_burst_limit: 100 } },
      'aws_apigatewayv2_stage.h': { name: '$default', default_route_settings: { throttling_rate_limit: 50 } },
    }),
    [
      'has no default throttling (aws_api_gateway_method_settings for method_path "*/*" with throttling_rate_limit and throttling_burst_limit)',
      'has no default throttling (default_route_settings with throttling_rate_limit and throttling_burst_limit)',
    ],
  ],
];

describe('rules that now flag what their checkov or cdk-nag counterpart flags', () => {
  it.each(NEWLY_FLAGGED)('%s flags %s', (id, _what, d, messages) => {
    expect(check(d, [RULES_BY_ID.get(id)!]).map((f) => f.message)).toEqual(messages);
  });
});

describe.each(Object.entries(CASES))('%s', (id, c) => {
  const rule = [RULES_BY_ID.get(id)!];
  it('fails a resource that breaks it', () => {
    const findings = check(c.fail, rule);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect({ rule: f.rule, severity: f.severity, message: typeof f.message }).toEqual({ rule: id, severity: rule[0].severity, message: 'string' });
    for (const d of c.alsoFail ?? []) expect(check(d, rule).length).toBeGreaterThan(0);
  });
  it('passes a resource that complies', () => {
    expect(check(c.pass, rule)).toEqual([]);
    for (const d of c.alsoPass ?? []) expect(check(d, rule)).toEqual([]);
  });
});
