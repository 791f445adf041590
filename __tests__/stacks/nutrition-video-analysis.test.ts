import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NutritionVideoAnalysisStack } from '../../stacks/nutrition-video-analysis';
import { check, isOpenGate } from '../../tools/guardrails';
import { Synthesized, allOf, buildStack, countOf, errorOf, filterOf, findBy, onlyOf, parseField, resourcesOf, statementsOf, synth } from '../helpers/synth';

const NAME = 'nutrition-video-analysis';
const P = 'nutrition-video-analysis-dev';
const ACCOUNT = '123456789012';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shared/gemini-AbCdEf';

/** Two variants, each synthesized once: the document's defaults, and every option turned the other way. */
const VARIANTS = {
  defaults: { accountId: ACCOUNT },
  custom: {
    accountId: ACCOUNT,
    imageTag: 'a1b2c3d',
    notificationEmail: 'nutrition-team@example.com',
    geminiApiKeySecretArn: SECRET_ARN,
    enableSpotInstances: false,
    maxVcpus: 512,
    s3VideoRetentionDays: 90,
    dynamodbBillingMode: 'PROVISIONED',
    dynamodbCapacity: { readCapacity: 5, writeCapacity: 5 },
    enableEncryption: false,
    enableApiKey: true,
    corsOrigins: ['https://app.example.com'],
    enableWaf: true,
    memorySize: 1024,
    provisionedConcurrentExecutions: 5,
    containerInsights: false,
  },
} as const;
type Variant = keyof typeof VARIANTS;

const cache = new Map<Variant, { text: string; json: Synthesized; stack: NutritionVideoAnalysisStack }>();
function stackOf(variant: Variant) {
  if (!cache.has(variant)) {
    const remoteState = variant === 'custom' ? { remoteState: { bucket: 'acme-state', region: 'us-east-1' } } : {};
    const stack = buildStack<NutritionVideoAnalysisStack>(NAME, { ...remoteState, stacks: { [NAME]: VARIANTS[variant] } });
    cache.set(variant, { ...synth(stack), stack });
  }
  return cache.get(variant)!;
}

/** `${type.logicalId...` of the one resource of `type` matching `match`. */
function ref(json: Synthesized, type: string, match: (r: Record<string, any>) => boolean): string {
  const found = resourcesOf(json, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}

const fnOf = (json: Synthesized, suffix: string) => findBy(json, 'aws_lambda_function', 'function_name', `${P}-${suffix}`);
/** The inline policy statements of the role whose Name tag is `roleName`. */
function roleStatements(json: Synthesized, roleName: string): any[] {
  const role = ref(json, 'aws_iam_role', (r) => r.tags.Name === roleName);
  return filterOf(json, 'aws_iam_role_policy', (p) => p.role.includes(`${role}.`)).flatMap((p) => statementsOf(p));
}
const actionsOn = (statements: any[], resourcePart: string) => statements.filter((st) => JSON.stringify(st.Resource).includes(resourcePart)).flatMap((st) => [st.Action].flat());

describe('nutrition-video-analysis', () => {
  it('keeps the document region and names, tags through the provider, and keeps one state per environment', () => {
    const { text, stack } = stackOf('defaults');
    expect(text).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      default_tags: [{ tags: { Project: 'nutrition-video-analysis', Environment: 'dev', ManagedBy: 'terraform', Stack: 'nutrition-video-analysis' } }],
    });
    expect(stack.prefix).toBe(P);
    expect(stackOf('custom').json.terraform!.backend.s3).toMatchObject({ bucket: 'acme-state', key: 'nutrition-video-analysis/dev/terraform.tfstate' });
  });

  it('creates the four functions with the document sizes, X-Ray, their own roles and logs, and code owned outside Terraform', () => {
    const { json } = stackOf('defaults');
    const sizes = { 'upload-handler': [512, 30], 'status-checker': [256, 10], 'results-handler': [512, 30], 'nutrition-rag': [3072, 300] };
    for (const [suffix, [memory, timeout]] of Object.entries(sizes)) {
      const fn = fnOf(json, suffix);
      expect([fn.memory_size, fn.timeout]).toEqual([memory, timeout]);
      expect(fn).toMatchObject({ runtime: 'python3.12', handler: 'index.handler', tracing_config: { mode: 'Active' } });
      // The document's drift protection (last_modified and version are never compared by Terraform).
      expect(fn.lifecycle.ignore_changes).toEqual(['filename', 'source_code_hash', 's3_key', 's3_object_version']);
      expect(fn.lifecycle.ignore_changes).toEqual(expect.arrayContaining(['filename', 'source_code_hash']));
      // A real package built from the repository: the bootstrap answering 503.
      expect(fn.filename).toMatch(new RegExp(`^assets/${suffix}_code_\\w+/[0-9A-F]+/package\\.zip$`));
      findBy(json, 'aws_cloudwatch_log_group', 'name', `/aws/lambda/${P}-${suffix}`);
      expect(fn.role).toMatch(/aws_iam_role\..*\.arn/);
    }
    expect(new Set(allOf(json, 'aws_lambda_function').map((f) => f.role)).size).toBe(4);
    expect(countOf(json, 'aws_lambda_alias')).toBe(0);
    expect(countOf(json, 'aws_lambda_provisioned_concurrency_config')).toBe(0);
  });

  it('runs only the RAG function in the VPC, mounting the model files read-only after the mount targets and NAT route exist', () => {
    const { json } = stackOf('defaults');
    for (const suffix of ['upload-handler', 'status-checker', 'results-handler']) expect(fnOf(json, suffix).vpc_config).toBeUndefined();
    const rag = fnOf(json, 'nutrition-rag');
    expect(rag.vpc_config.subnet_ids).toEqual(allOf(json, 'aws_subnet').filter((s) => s.tags.Type === 'private').map(() => expect.stringMatching(/aws_subnet\.vpc_private-\d/)));
    expect(rag.file_system_config).toEqual({ arn: expect.stringMatching(/aws_efs_access_point\./), local_mount_path: '/mnt/models' });
    expect(rag.depends_on.filter((d: string) => d.startsWith('aws_efs_mount_target.'))).toHaveLength(2);
    expect(rag.depends_on).toContainEqual(expect.stringMatching(/^aws_route\.vpc_private-1-nat/));
    expect(actionsOn(roleStatements(json, `${P}-nutrition-rag-lambda`), 'aws_efs_file_system')).toEqual(['elasticfilesystem:ClientMount']);
    expect(actionsOn(roleStatements(json, `${P}-nutrition-rag-lambda`), 'aws_secretsmanager_secret')).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('gives each function only what its part of the flow needs', () => {
    const { json } = stackOf('defaults');
    const upload = roleStatements(json, `${P}-upload-handler-lambda`);
    expect(upload.find((st) => String(st.Resource).includes('aws_s3_bucket.videos'))!.Resource).toMatch(/\.arn\}\/uploads\/\*$/);
    expect(actionsOn(upload, 'aws_s3_bucket')).toEqual(['s3:PutObject', 's3:AbortMultipartUpload']);
    expect(actionsOn(upload, 'aws_dynamodb_table')).toContain('dynamodb:PutItem');
    const status = roleStatements(json, `${P}-status-checker-lambda`);
    expect(actionsOn(status, 'aws_s3_bucket')).toEqual([]);
    expect(actionsOn(status, 'aws_dynamodb_table')).not.toContain('dynamodb:PutItem');
    const results = roleStatements(json, `${P}-results-handler-lambda`);
    expect(actionsOn(results, 'aws_s3_bucket.results')).toContain('s3:GetObject');
    expect(actionsOn(results, 'aws_s3_bucket.videos')).toEqual([]);
  });

  it('serves the three routes through a REST API with CORS, throttling, tracing and access logs, without the account role by default', () => {
    const { json } = stackOf('defaults');
    const methods = allOf(json, 'aws_api_gateway_method').map((m) => `${m.http_method} ${m.resource_id.match(/resource(\w+)_/)[1]}`);
    expect(methods.sort()).toEqual(['GET resultsjobId', 'GET statusjobId', 'OPTIONS resultsjobId', 'OPTIONS statusjobId', 'OPTIONS upload', 'POST upload']);
    const integrations = filterOf(json, 'aws_api_gateway_integration', (i) => i.type === 'AWS_PROXY');
    expect(integrations.map((i) => i.uri).sort()).toEqual(['nutrition-rag', 'results-handler', 'status-checker', 'upload-handler'].filter((f) => f !== 'nutrition-rag').map((f) => expect.stringContaining(`aws_lambda_function.${f}_this`)));
    expect(onlyOf(json, 'aws_api_gateway_stage')).toMatchObject({ stage_name: 'v1', xray_tracing_enabled: true, access_log_settings: { destination_arn: expect.stringMatching(/aws_cloudwatch_log_group\.api_access-logs/) } });
    expect(onlyOf(json, 'aws_api_gateway_method_settings').settings).toEqual({ throttling_burst_limit: 100, throttling_rate_limit: 50 });
    expect(allOf(json, 'aws_api_gateway_gateway_response').map((r) => r.response_parameters['gatewayresponse.header.Access-Control-Allow-Origin'])).toEqual(["'*'", "'*'"]);
    for (const absent of ['aws_api_gateway_account', 'aws_api_gateway_api_key', 'aws_api_gateway_usage_plan', 'aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']) expect(countOf(json, absent)).toBe(0);
    expect(allOf(json, 'aws_api_gateway_method').every((m) => m.api_key_required === false)).toBe(true);
  });

  it('adds the API key and usage plan, the WAF, origin-restricted CORS, and provisioned concurrency on live aliases when asked', () => {
    const { json } = stackOf('custom');
    expect(filterOf(json, 'aws_api_gateway_method', (m) => m.http_method !== 'OPTIONS').every((m) => m.api_key_required === true)).toBe(true);
    expect(onlyOf(json, 'aws_api_gateway_usage_plan').throttle_settings).toEqual({ burst_limit: 100, rate_limit: 50 });
    countOf(json, 'aws_api_gateway_usage_plan_key');
    expect(json.output!.api_key_command.value).toMatch(/^aws apigateway get-api-key --api-key \$\{aws_api_gateway_api_key\..*\.id\} --include-value/);
    expect(onlyOf(json, 'aws_wafv2_web_acl_association')).toEqual(expect.objectContaining({ resource_arn: expect.stringMatching(/aws_api_gateway_stage\..*\.arn/), web_acl_arn: expect.stringMatching(/aws_wafv2_web_acl\..*\.arn/) }));
    expect(allOf(json, 'aws_api_gateway_gateway_response').map((r) => r.response_parameters['gatewayresponse.header.Access-Control-Allow-Origin'])).toEqual(["'https://app.example.com'", "'https://app.example.com'"]);
    // memory_size sizes the API functions; the RAG function keeps its 3 GB.
    expect(['upload-handler', 'status-checker', 'results-handler', 'nutrition-rag'].map((f) => fnOf(json, f).memory_size)).toEqual([1024, 1024, 1024, 3072]);
    const aliases = allOf(json, 'aws_lambda_alias');
    expect(aliases).toHaveLength(3);
    for (const alias of aliases) expect(alias).toMatchObject({ name: 'live', lifecycle: { ignore_changes: ['function_version'] } });
    expect(allOf(json, 'aws_lambda_provisioned_concurrency_config').map((c) => c.provisioned_concurrent_executions)).toEqual([5, 5, 5]);
    expect(filterOf(json, 'aws_api_gateway_integration', (i) => i.type === 'AWS_PROXY').every((i) => /aws_lambda_alias\..*\.invoke_arn/.test(i.uri))).toBe(true);
    expect(fnOf(json, 'nutrition-rag').publish).toBeUndefined();
  });

  it('stores videos, results and models in private encrypted buckets named after the account, with the document lifecycle', () => {
    const { json } = stackOf('defaults');
    const bucket = (b: string) => findBy(json, 'aws_s3_bucket', 'bucket', `${P}-${b}-${ACCOUNT}-us-east-1`);
    const byBucket = (type: string, b: string) => findBy(json, type, 'bucket', `\${${ref(json, 'aws_s3_bucket', (r) => r === bucket(b))}.id}`);
    for (const b of ['videos', 'results', 'models']) {
      expect(byBucket('aws_s3_bucket_public_access_block', b)).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      expect(byBucket('aws_s3_bucket_server_side_encryption_configuration', b).rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.key_.*\.arn/) });
    }
    const rules = (b: string) => Object.fromEntries(byBucket('aws_s3_bucket_lifecycle_configuration', b).rule.map((r: any) => [r.id, r]));
    expect(rules('videos')['expire-current-objects'].expiration).toEqual([{ days: 30 }]);
    // Videos expire before Intelligent-Tiering's first move (30 days): no transition fees for nothing.
    expect(rules('videos')['transition-current-objects']).toBeUndefined();
    for (const b of ['results', 'models']) expect(rules(b)['transition-current-objects'].transition).toEqual([{ days: 0, storage_class: 'INTELLIGENT_TIERING' }]);
    expect(byBucket('aws_s3_bucket_cors_configuration', 'videos').cors_rule).toEqual([expect.objectContaining({ allowed_methods: ['PUT'], allowed_origins: ['*'] })]);
    const custom = stackOf('custom').json;
    const customRules = findBy(custom, 'aws_s3_bucket_lifecycle_configuration', 'bucket', `\${${ref(custom, 'aws_s3_bucket', (r) => r.bucket.includes('-videos-'))}.id}`).rule;
    expect(customRules.find((r: any) => r.id === 'expire-current-objects').expiration).toEqual([{ days: 90 }]);
    expect(customRules.find((r: any) => r.id === 'transition-current-objects').transition).toEqual([{ days: 0, storage_class: 'INTELLIGENT_TIERING' }]);
  });

  it('queues each uploaded video for the worker, after the queue policy lets S3 send', () => {
    const { json } = stackOf('defaults');
    const notification = onlyOf(json, 'aws_s3_bucket_notification');
    expect(notification.bucket).toMatch(/aws_s3_bucket\.videos_this/);
    expect(notification.queue).toEqual([{ id: 'queue-1', events: ['s3:ObjectCreated:*'], filter_prefix: 'uploads/', queue_arn: expect.stringMatching(/aws_sqs_queue\.jobs-queue_this.*\.arn/) }]);
    expect(notification.depends_on).toEqual([expect.stringMatching(/^aws_sqs_queue_policy\./)]);
    const policy = parseField(allOf(json, 'aws_sqs_queue_policy').find((p) => /aws_sqs_queue\.jobs-queue_this/.test(p.queue_url))!, 'policy').Statement;
    expect(policy).toEqual([expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }), expect.objectContaining({ Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': expect.stringMatching(/aws_s3_bucket\.videos_this.*\.arn/) } } })]);
  });

  it('creates the job queue with a dead-letter queue, and the jobs table with PITR and deletion protection', () => {
    const { json } = stackOf('defaults');
    const queue = findBy(json, 'aws_sqs_queue', 'name', `${P}-jobs`);
    const dlq = findBy(json, 'aws_sqs_queue', 'name', `${P}-jobs-dlq`);
    // A GPU job (3600 s) with its 3 attempts, and the worker's own work: the job never returns to the queue while it runs.
    expect(queue.visibility_timeout_seconds).toBe(11700);
    expect(parseField(queue, 'redrive_policy')).toEqual({ deadLetterTargetArn: expect.stringMatching(/aws_sqs_queue\.jobs-queue_dlq.*\.arn/), maxReceiveCount: 3 });
    expect(dlq.message_retention_seconds).toBe(1209600);
    expect(onlyOf(json, 'aws_dynamodb_table')).toMatchObject({
      name: `${P}-jobs`,
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'jobId',
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      ttl: { attribute_name: 'expiresAt', enabled: true },
    });
    expect(onlyOf(stackOf('custom').json, 'aws_dynamodb_table')).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 5 });
  });

  it('encrypts buckets, table, queues, topic, file system and secret with one rotating customer key when encryption is on', () => {
    const { json } = stackOf('defaults');
    expect(onlyOf(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.key_\w+\.arn\}$/);
    expect(onlyOf(json, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: true, kms_key_arn: keyArn });
    for (const q of allOf(json, 'aws_sqs_queue')) expect({ kms: q.kms_master_key_id, sse: q.sqs_managed_sse_enabled }).toEqual({ kms: keyArn, sse: undefined });
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toEqual(keyArn);
    expect(onlyOf(json, 'aws_efs_file_system')).toMatchObject({ encrypted: true, kms_key_id: keyArn });
    expect(onlyOf(json, 'aws_secretsmanager_secret').kms_key_id).toEqual(keyArn);
    expect(allOf(json, 'aws_s3_bucket_server_side_encryption_configuration').map((c) => c.rule[0].apply_server_side_encryption_by_default.kms_master_key_id)).toEqual([keyArn, keyArn, keyArn]);
    // The key is the stack's default: every log group and function environment uses it too.
    const groups = allOf(json, 'aws_cloudwatch_log_group');
    expect(groups.length).toBe(8);
    for (const g of groups) expect({ name: g.name, key: g.kms_key_id }).toEqual({ name: g.name, key: keyArn });
    for (const f of allOf(json, 'aws_lambda_function')) expect({ name: f.function_name, key: f.kms_key_arn }).toEqual({ name: f.function_name, key: keyArn });
    // The services that write into encrypted stores on their own may use the key: S3 (into the queue), CloudWatch (alarms into the topic), Budgets (its notices into the topic) and CloudWatch Logs, for each group by its ARN alone.
    const statements = statementsOf(onlyOf(json, 'aws_kms_key'));
    const services = statements.flatMap((st) => (st.Principal?.Service ? [st.Principal.Service] : []));
    expect([...new Set(services)].sort()).toEqual(['budgets.amazonaws.com', 'cloudwatch.amazonaws.com', 'logs.us-east-1.amazonaws.com', 's3.amazonaws.com']);
    const logGroupArns = statements.filter((st) => st.Principal?.Service === 'logs.us-east-1.amazonaws.com').map((st) => st.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
    expect(logGroupArns.map((a: string) => a.split(':log-group:')[1]).sort()).toEqual(groups.map((g) => g.name).sort());
  });

  it('uses no customer key anywhere when encryption is off, and leaves the topic unencrypted so alarms can publish', () => {
    const { json } = stackOf('custom');
    expect(countOf(json, 'aws_kms_key')).toBe(0);
    expect(JSON.stringify(json.resource)).not.toMatch(/aws_kms_key|kms:/);
    expect(allOf(json, 'aws_s3_bucket_server_side_encryption_configuration').map((c) => c.rule[0].apply_server_side_encryption_by_default)).toEqual(Array(3).fill({ sse_algorithm: 'AES256' }));
    expect(onlyOf(json, 'aws_dynamodb_table').server_side_encryption).toEqual({ enabled: false });
    for (const q of allOf(json, 'aws_sqs_queue')) expect(q.sqs_managed_sse_enabled).toBe(true);
    expect(onlyOf(json, 'aws_sns_topic').kms_master_key_id).toBeUndefined();
    expect(statementsOf(onlyOf(json, 'aws_sns_topic_policy'))).toEqual([
      expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny' }),
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
      expect.objectContaining({ Principal: { Service: 'budgets.amazonaws.com' }, Action: 'sns:Publish' }),
    ]);
  });

  it('keeps the Gemini key out of the configuration: a sensitive variable, or an existing secret', () => {
    const { json, text } = stackOf('defaults');
    expect(json.variable!.gemini_api_key).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(json.variable!.gemini_api_key.default).toBeUndefined();
    expect(onlyOf(json, 'aws_secretsmanager_secret').name).toBe(`${P}/gemini-api-key`);
    expect(onlyOf(json, 'aws_secretsmanager_secret_version').secret_string).toBe('${var.gemini_api_key}');
    expect(text).not.toMatch(/preview-placeholder/);
    const custom = stackOf('custom').json;
    expect(custom.variable).toBeUndefined();
    expect(countOf(custom, 'aws_secretsmanager_secret')).toBe(0);
    expect(fnOf(custom, 'nutrition-rag').environment.variables.GEMINI_API_KEY_SECRET_ARN).toBe(SECRET_ARN);
    const worker = parseField<any[]>(findBy(custom, 'aws_ecs_task_definition', 'family', `${P}-worker`), 'container_definitions')[0];
    expect(worker.secrets).toEqual([{ name: 'GEMINI_API_KEY', valueFrom: SECRET_ARN }]);
  });

  it('runs the GPU work on AWS Batch: a spot g4dn compute environment from 0 to maxVcpus, a job queue and a GPU job definition', () => {
    const { json } = stackOf('defaults');
    const ce = onlyOf(json, 'aws_batch_compute_environment');
    expect(ce.compute_resources).toMatchObject({ type: 'SPOT', allocation_strategy: 'SPOT_CAPACITY_OPTIMIZED', instance_type: ['g4dn.xlarge', 'g4dn.2xlarge'], min_vcpus: 0, max_vcpus: 256, ec2_configuration: [{ image_type: 'ECS_AL2023_NVIDIA' }] });
    expect(onlyOf(json, 'aws_batch_job_queue').name).toBe(`${P}-gpu`);
    const job = onlyOf(json, 'aws_batch_job_definition');
    expect(parseField(job, 'container_properties').resourceRequirements).toEqual([{ type: 'VCPU', value: '4' }, { type: 'MEMORY', value: '15360' }, { type: 'GPU', value: '1' }]);
    expect(parseField(job, 'container_properties').image).toMatch(/aws_ecr_repository\.ecr-gpu-job_this.*\.repository_url\}:latest$/);
    const custom = onlyOf(stackOf('custom').json, 'aws_batch_compute_environment').compute_resources;
    expect(custom).toMatchObject({ type: 'EC2', allocation_strategy: 'BEST_FIT_PROGRESSIVE', max_vcpus: 512 });
  });

  it('runs the CPU worker on Fargate Spot at 0 tasks, scaling out on waiting jobs and in only when nothing waits or runs', () => {
    const { json } = stackOf('defaults');
    const service = findBy(json, 'aws_ecs_service', 'name', `${P}-worker`);
    expect(service).toMatchObject({ desired_count: 0, capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 }], lifecycle: { ignore_changes: ['desired_count'] } });
    expect(onlyOf(json, 'aws_ecs_cluster')).toMatchObject({ name: `${P}-cluster`, setting: [{ name: 'containerInsights', value: 'enabled' }] });
    // No image yet: the worker stays at 0 tasks.
    expect(onlyOf(json, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 0, max_capacity: 0 });

    const custom = stackOf('custom').json;
    expect(onlyOf(custom, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 0, max_capacity: 10 });
    expect(findBy(custom, 'aws_ecs_service', 'name', `${P}-worker`).capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', weight: 1, base: 0 }]);
    const policy = (dir: string) => findBy(custom, 'aws_appautoscaling_policy', 'name', `${P}-worker-queue-scale-${dir}`).step_scaling_policy_configuration;
    expect(policy('out').step_adjustment).toEqual([
      { metric_interval_lower_bound: '0', metric_interval_upper_bound: '9', scaling_adjustment: 1 },
      { metric_interval_lower_bound: '9', metric_interval_upper_bound: '49', scaling_adjustment: 3 },
      { metric_interval_lower_bound: '49', scaling_adjustment: 10 },
    ]);
    expect(policy('in').step_adjustment).toEqual([{ metric_interval_upper_bound: '0', scaling_adjustment: -10 }]);
    const alarm = (dir: string) => findBy(custom, 'aws_cloudwatch_metric_alarm', 'alarm_name', `${P}-worker-queue-scale-${dir}`);
    expect(alarm('out')).toMatchObject({ metric_name: 'ApproximateNumberOfMessagesVisible', threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', evaluation_periods: 1 });
    expect(alarm('in')).toMatchObject({ threshold: 0, comparison_operator: 'LessThanOrEqualToThreshold', evaluation_periods: 10 });
    expect(alarm('in').metric_query.map((q: any) => q.expression ?? q.metric.metric_name)).toEqual(['FILL(backlog, 0) + FILL(inflight, 0)', 'ApproximateNumberOfMessagesVisible', 'ApproximateNumberOfMessagesNotVisible']);
    const container = parseField<any[]>(findBy(custom, 'aws_ecs_task_definition', 'family', `${P}-worker`), 'container_definitions')[0];
    expect(container.image).toMatch(/aws_ecr_repository\.ecr-worker_this.*\.repository_url\}:a1b2c3d$/);
    expect(Object.keys(Object.fromEntries(container.environment.map((e: any) => [e.name, e.value])))).toEqual(
      expect.arrayContaining(['QUEUE_URL', 'JOBS_TABLE', 'VIDEOS_BUCKET', 'RESULTS_BUCKET', 'BATCH_JOB_QUEUE', 'BATCH_JOB_DEFINITION', 'RAG_FUNCTION_NAME', 'COMPLETION_TOPIC_ARN']),
    );
    const worker = roleStatements(custom, `${P}-worker-task`);
    expect(actionsOn(worker, 'aws_sqs_queue')).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']));
    expect(actionsOn(worker, 'aws_batch_job_queue')).toEqual(['batch:SubmitJob']);
    expect(actionsOn(worker, 'aws_lambda_function.nutrition-rag')).toEqual(['lambda:InvokeFunction']);
    expect(actionsOn(worker, 'aws_sns_topic')).toEqual(['sns:Publish']);
  });

  it('uses one NAT gateway and free S3 and DynamoDB gateway endpoints, no interface endpoints', () => {
    const { json } = stackOf('defaults');
    expect(countOf(json, 'aws_nat_gateway')).toBe(1);
    expect(filterOf(json, 'aws_vpc_endpoint', (e) => e.vpc_endpoint_type === 'Gateway').map((e) => e.service_name).sort()).toEqual(['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
    expect(filterOf(json, 'aws_vpc_endpoint', (e) => e.vpc_endpoint_type === 'Interface')).toEqual([]);
    expect(filterOf(json, 'aws_efs_mount_target', () => true)).toHaveLength(2);
  });

  it('copies the models bucket to EFS with an on-demand task, the file system\'s only writer', () => {
    const { json } = stackOf('defaults');
    const task = findBy(json, 'aws_ecs_task_definition', 'family', `${P}-model-sync`);
    const container = parseField<any[]>(task, 'container_definitions')[0];
    expect(container.command).toEqual(['s3', 'sync', expect.stringMatching(/^s3:\/\/\$\{aws_s3_bucket\.models_this.*\.bucket\}\/$/), '/mnt/models/', '--delete', '--only-show-errors']);
    // The file system, and a scratch volume for the CLI's temporary files and cache (HOME) beside a read-only root.
    expect(container.mountPoints).toEqual([
      { sourceVolume: 'models', containerPath: '/mnt/models', readOnly: false },
      { sourceVolume: 'scratch-sync-1', containerPath: '/tmp', readOnly: false },
    ]);
    expect(container.environment).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(container.readonlyRootFilesystem).toBe(true);
    expect(onlyOf(json, 'aws_efs_backup_policy').backup_policy).toEqual({ status: 'DISABLED' });
    expect(json.output!.model_sync_run_command.value).toMatch(/^aws ecs run-task --cluster .* --task-definition nutrition-video-analysis-dev-model-sync --launch-type FARGATE/);
    // Jobs waiting for GPU capacity (RUNNABLE) are what a stuck pipeline shows, as the document's debugging steps say.
    expect((json.output!.debug_commands.value as Record<string, string>).batch_jobs).toMatch(/^aws batch list-jobs --job-queue \S+ --job-status RUNNABLE$/);
    // NFS is open to the RAG function and the sync task only.
    expect(allOf(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.from_port === 2049)).toHaveLength(2);
  });

  it('alarms on the Lambda error rate per function, the API 5XX rate, worker task failures, old and failed jobs, to the job topic', () => {
    const { json } = stackOf('defaults');
    const topic = expect.stringMatching(/^\$\{aws_sns_topic\.job-completion_this_\w+\.arn\}$/);
    const alarms: Record<string, any> = Object.fromEntries(filterOf(json, 'aws_cloudwatch_metric_alarm', (a) => !a.alarm_name.includes('queue-scale')).map((a) => [a.alarm_name.slice(P.length + 1), a]));
    expect(Object.keys(alarms).sort()).toEqual(
      ['api-5xx-rate', 'failed-jobs', 'nutrition-rag-error-rate', 'queue-oldest-job-age', 'results-handler-error-rate', 'status-checker-error-rate', 'upload-handler-error-rate', 'worker-tasks-below-desired'].sort(),
    );
    for (const a of Object.values(alarms)) expect([a.alarm_actions, a.ok_actions]).toEqual([[topic], [topic]]);
    const rate = alarms['upload-handler-error-rate'];
    expect(rate).toMatchObject({ threshold: 5, comparison_operator: 'GreaterThanThreshold' });
    expect(rate.metric_query[0].expression).toBe('IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / invocations, 0)');
    expect(rate.metric_query.slice(1).map((q: any) => [q.id, q.metric.metric_name, q.metric.dimensions.FunctionName])).toEqual([
      ['errors', 'Errors', `${P}-upload-handler`],
      ['invocations', 'Invocations', `${P}-upload-handler`],
    ]);
    expect(alarms['api-5xx-rate'].metric_query[0].expression).toBe('IF(FILL(requests, 0) > 0, 100 * FILL(errors, 0) / requests, 0)');
    expect(alarms['queue-oldest-job-age']).toMatchObject({ metric_name: 'ApproximateAgeOfOldestMessage', threshold: 900 });
    expect(alarms['failed-jobs']).toMatchObject({ metric_name: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: expect.stringMatching(/jobs-queue_dlq/) }, threshold: 0 });
    expect(alarms['worker-tasks-below-desired'].metric_query[0].expression).toBe('desired - running');
    expect(countOf(json, 'aws_sns_topic_subscription')).toBe(0);
    const custom = stackOf('custom').json;
    expect(onlyOf(custom, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'nutrition-team@example.com' });
    // Without Container Insights there is no desired count to compare with: no task-failure alarm.
    expect(onlyOf(custom, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'disabled' }]);
    expect(filterOf(custom, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name.includes('tasks-below-desired'))).toEqual([]);
    const widgets = parseField(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body').widgets.map((w: any) => w.properties.title);
    expect(widgets).toEqual(expect.arrayContaining(['API Gateway requests and errors', 'API Gateway latency', 'Lambda duration (p99, ms)', 'Lambda errors', 'Lambda memory used against memory size (max, MB), per function', 'ECS worker CPU and memory (%)', 'SQS jobs', 'SQS oldest job age (s)']));
    // Lambda memory: from the four functions' REPORT lines (no metric holds it).
    const memory = parseField(onlyOf(json, 'aws_cloudwatch_dashboard'), 'dashboard_body').widgets.find((w: any) => w.type === 'log');
    expect(memory.properties.query.match(/SOURCE '[^']+'/g)).toHaveLength(4);
    // One row per function (its log group): how near each is to its own memory size.
    expect(memory.properties.query).toMatch(/\| filter @type = "REPORT" \| stats max\(@maxMemoryUsed \/ 1000 \/ 1000\) as used_mb, max\(@memorySize \/ 1000 \/ 1000\) as size_mb by @log$/);
    expect(memory.properties.view).toBe('table');
  });

  it('has billing alerts: a monthly budget of the stack\'s own costs (its Stack tag), told to the topic at 80 % forecast and 100 % actual', () => {
    const { json } = stackOf('defaults');
    const budget = onlyOf(json, 'aws_budgets_budget');
    expect(budget).toMatchObject({ name: `${P}-monthly`, budget_type: 'COST', limit_amount: '150', limit_unit: 'USD', time_unit: 'MONTHLY', cost_filter: [{ name: 'TagKeyValue', values: ['user:Stack$nutrition-video-analysis'] }] });
    expect(budget.notification.map((n: any) => [n.notification_type, n.threshold, n.subscriber_sns_topic_arns])).toEqual([
      ['FORECASTED', 80, [expect.stringMatching(/^\$\{aws_sns_topic\.job-completion_this_\w+\.arn\}$/)]],
      ['ACTUAL', 100, [expect.stringMatching(/^\$\{aws_sns_topic\.job-completion_this_\w+\.arn\}$/)]],
    ]);
    const set = buildStack(NAME, { stacks: { [NAME]: { budget: { monthlyLimitUsd: 40, emails: ['billing@example.com'] } } } });
    expect(onlyOf(synth(set).json, 'aws_budgets_budget')).toMatchObject({ limit_amount: '40', notification: [expect.objectContaining({ subscriber_email_addresses: ['billing@example.com'] }), expect.anything()] });
    expect(countOf(synth(buildStack(NAME, { stacks: { [NAME]: { budget: { enabled: false } } } })).json, 'aws_budgets_budget')).toBe(0);
  });

  it('rejects bad settings with every problem at once, at the path the user wrote', () => {
    const message = errorOf(() =>
      buildStack(NAME, {
        stacks: {
          [NAME]: {
            projectName: 'nutrition-video-analysis-platform',
            region: 'ap-southeast-2',
            network: { natGateways: 'none' },
            dynamodbBillingMode: 'PROVISIONED',
            corsOrigins: ['*', 'https://app.example.com'],
            waf: { rateLimitPer5Min: 500 },
            memorySize: 1024,
            functions: { statusChecker: { memoryMiB: 512 } },
            worker: { cpu: 1024, memoryMiB: 1024 },
            gpu: { instanceTypes: ['g4dn.xlarge', 'p3.2xlarge'], memoryMiB: 32768 },
            maxVcpus: 2,
          },
        },
      }),
    );
    expect(message.split('\n')).toEqual([
      `invalid settings for stack "${NAME}":`,
      '  projectName: "nutrition-video-analysis-platform-dev" (projectName-environment) makes the bucket "nutrition-video-analysis-platform-dev-results-<account>-ap-southeast-2" 73 characters long; S3 allows 63: shorten projectName or environment by 10',
      '  network.natGateways: "none" is not possible here: the RAG function and the worker call the Gemini API on the internet, which private subnets reach only through a NAT gateway; allowed: "single", "perAz"',
      '  dynamodbCapacity: is required with dynamodbBillingMode "PROVISIONED"; e.g. {"readCapacity": 5, "writeCapacity": 5}',
      '  corsOrigins: "*" allows every origin and cannot be combined with others',
      '  waf: has no effect with enableWaf false; set enableWaf true or leave waf at its defaults',
      '  functions.statusChecker.memoryMiB: 512 has no effect: memorySize 1024 sets the memory of the three API functions; remove one of them',
      '  worker.memoryMiB: 1024 is not valid with 1024 CPU units on Fargate; allowed: 2048 to 8192 in steps of 1024',
      '  gpu.instanceTypes[1]: "p3.2xlarge" is not driven by the Amazon Linux 2023 NVIDIA image Batch uses; allowed: g4dn, g5, g6, g6e, p4d, p5 families',
      '  gpu: a job of 4 vCPUs, 32768 MiB and 1 GPU fits none of gpu.instanceTypes (g4dn.xlarge: 4 vCPUs, about 15564 MiB, 1 GPU); give the job less or add a larger type',
      '  maxVcpus: 2 is below gpu.vcpus 4: no job could ever start',
    ]);
  });

  it('names the document variable a user wrote in snake_case, and refuses values of the wrong kind', () => {
    const message = errorOf(() => buildStack(NAME, { stacks: { [NAME]: { enable_waf: true, dynamodbBillingMode: 'ON_DEMAND', s3VideoRetentionDays: '30d' } } }));
    expect(message).toContain('enable_waf: unknown setting; did you mean "enableWaf"?');
    expect(message).toContain('dynamodbBillingMode: "ON_DEMAND" is not a DynamoDB billing mode');
    expect(message).toContain('s3VideoRetentionDays: "30d" is a string; expected a whole number from 1 to 36500 (days); give the number alone in days, without units or quotes');
  });
});

describe('nutrition-video-analysis: the cost cap of the open upload route', () => {
  const build = (overrides: Record<string, unknown>) => synth(buildStack<NutritionVideoAnalysisStack>(NAME, { stacks: { [NAME]: overrides } }));
  const gates = (document: Record<string, any>) => check(document).filter(isOpenGate).map((f) => f.rule);

  it('stops new uploads and new GPU jobs once the month\'s actual spend reaches the budget, and tells the topic', () => {
    const { json } = stackOf('defaults');
    const action = onlyOf(json, 'aws_budgets_budget_action');
    expect(action).toMatchObject({ action_type: 'APPLY_IAM_POLICY', approval_model: 'AUTOMATIC', notification_type: 'ACTUAL', action_threshold: { action_threshold_type: 'PERCENTAGE', action_threshold_value: 100 } });
    expect(action.budget_name).toMatch(/^\$\{aws_budgets_budget\.budget_this_\w+\.name\}$/);
    expect(action.subscriber).toEqual([{ address: expect.stringMatching(/^\$\{aws_sns_topic\.job-completion_this_\w+\.arn\}$/), subscription_type: 'SNS' }]);
    // The denied roles: the upload handler (its presigned URLs) and the worker (it submits the GPU jobs).
    const roles = action.definition.iam_action_definition.roles as string[];
    expect(roles.map((r) => /aws_iam_role\.([\w-]+?)_/.exec(r)![1]).sort()).toEqual(['upload-handler', 'worker']);
    expect(statementsOf(onlyOf(json, 'aws_iam_policy'))).toEqual([
      { Effect: 'Deny', Action: ['s3:PutObject'], Resource: [expect.stringMatching(/^\$\{aws_s3_bucket\.videos_this_\w+\.arn\}\/uploads\/\*$/)] },
      { Effect: 'Deny', Action: ['batch:SubmitJob'], Resource: '*' },
    ]);
    // AWS Budgets may attach that policy to those roles only; the roles stay deletable while it is attached.
    const executor = filterOf(json, 'aws_iam_role_policy', (p) => p.role.includes('budget_stop-uploads-role')).flatMap((p) => statementsOf(p));
    expect(executor).toEqual([{ Effect: 'Allow', Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], Resource: roles.map((r) => r.replace('.name}', '.arn}')), Condition: { ArnEquals: { 'iam:PolicyARN': expect.stringMatching(/^\$\{aws_iam_policy\.budget_stop-uploads-policy_\w+\.arn\}$/) } } }]);
    const denied = filterOf(json, 'aws_iam_role', (r) => r.force_detach_policies === true);
    expect(denied).toHaveLength(2);
    // A destroy after the cap fired deletes those roles (detaching AWS Budgets' attachment) before the policy.
    const [policyId] = resourcesOf(json, 'aws_iam_policy')[0];
    for (const r of denied) expect(r.depends_on).toContain(`aws_iam_policy.${policyId}`);
    expect(onlyOf(json, 'aws_iam_policy')).toMatchObject({ name_prefix: 'nutrition-video-analysis-dev-budget-stop-' });
    // The budget counts the GPU hours: the instances Batch launches carry the stack's tags.
    expect(onlyOf(json, 'aws_batch_compute_environment').compute_resources.tags).toMatchObject({ Stack: NAME, Project: 'nutrition-video-analysis', Environment: 'dev', ManagedBy: 'terraform' });
    expect(gates(synth(stackOf('defaults').stack).document)).not.toContain('AWS-API-008');
  });

  it('holds the gate open without the cap, unless the route asks for an API key', () => {
    const open = build({ budget: { stopUploadsAtLimit: false } });
    expect(countOf(open.json, 'aws_budgets_budget_action')).toBe(0);
    expect(gates(open.document)).toContain('AWS-API-008');
    const keyed = build({ budget: { stopUploadsAtLimit: false }, enableApiKey: true });
    expect(gates(keyed.document)).not.toContain('AWS-API-008');
  });

  it('has no cap without its budget, and the gate says so', () => {
    const { json, document } = build({ budget: { enabled: false } });
    expect([countOf(json, 'aws_budgets_budget'), countOf(json, 'aws_budgets_budget_action')]).toEqual([0, 0]);
    expect(gates(document)).toContain('AWS-API-008');
  });
});
