import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput } from 'cdktf';
import { AwsStack } from '../../../src/core/aws-stack';
import { EncryptionKey } from '../../../src/security/kms';
import { ServiceRole } from '../../../src/security/iam';
import { LambdaFunction as LambdaFunctionResource } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunction, LambdaFunctionProps, bootstrapCodePath } from '../../../src/compute/lambda';
import { Queue } from '../../../src/data/queue';
import { Topic } from '../../../src/data/topic';
import { SharedFileSystem } from '../../../src/data/efs';
import { Vpc } from '../../../src/network/vpc';
import { allOf, countOf, errorOf, filterOf, isAbsent, onlyOf, resourcesOf, statementsOf, synthConstructs, Synthesized } from '../../helpers/synth';

const CODE = { assetPath: bootstrapCodePath('python3.12') };
const BASE: LambdaFunctionProps = { functionName: 'upload-handler', runtime: 'python3.12', handler: 'index.handler', code: CODE };

interface Built {
  readonly json: Synthesized;
  readonly fn: LambdaFunction;
}

function build(props: Partial<LambdaFunctionProps> = {}, after?: (fn: LambdaFunction, stack: AwsStack) => void): Built {
  let fn!: LambdaFunction;
  const { json } = synthConstructs((stack) => {
    fn = new LambdaFunction(stack, 'fn', { ...BASE, ...props });
    after?.(fn, stack);
  });
  return { json, fn };
}

/** A VPC (pinned zones, one NAT) and an EFS file system in its private subnets, then a function built by `make`. */
function buildInVpc(make: (stack: AwsStack, vpc: Vpc, efs: SharedFileSystem) => void): Synthesized {
  return synthConstructs((stack) => {
    const vpc = new Vpc(stack, 'vpc', { flowLogs: false, namePrefix: 'nva', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' });
    const efs = new SharedFileSystem(stack, 'efs', { name: 'nva-models', vpc, accessPoint: { path: '/models' } });
    make(stack, vpc, efs);
  }).json;
}

/** `type.logicalId` of the one resource of `type` matching `match`. */
function address(json: Synthesized, type: string, match: (r: Record<string, any>) => boolean = () => true): string {
  const found = resourcesOf(json, type).filter(([, r]) => match(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `${type}.${found[0][0]}`;
}

const ref = (json: Synthesized, type: string, attr: string, match?: (r: Record<string, any>) => boolean) => `\${${address(json, type, match)}.${attr}}`;
const buildError = (props: Partial<LambdaFunctionProps>) => errorOf(() => build(props));

describe('LambdaFunction', () => {
  it('has 128 MiB, 3 s, Active tracing and a zipped asset whose code a pipeline owns by default', () => {
    const { json, fn: construct } = build();
    expect(construct.resource).toBeInstanceOf(LambdaFunctionResource);
    const fn = onlyOf(json, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'upload-handler',
      runtime: 'python3.12',
      handler: 'index.handler',
      memory_size: 128,
      timeout: 3,
      tracing_config: { mode: 'Active' },
      role: ref(json, 'aws_iam_role', 'arn'),
      tags: { Name: 'upload-handler' },
    });
    expect(fn.filename).toMatch(/^assets\/fn_code_\w+\/[0-9A-F]+\/package\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
    // `aws lambda update-function-code` is not undone by the next apply.
    expect(fn.lifecycle).toEqual({ ignore_changes: ['filename', 'source_code_hash', 's3_key', 's3_object_version'] });
    expect(fn.lifecycle.ignore_changes).toEqual(['filename', 'source_code_hash', 's3_key', 's3_object_version']);
    for (const absent of ['publish', 'vpc_config', 'file_system_config', 'reserved_concurrent_executions', 'kms_key_arn', 'environment', 'dead_letter_config']) {
      expect(isAbsent(fn, absent)).toBe(true);
    }
    expect(countOf(json, 'aws_lambda_alias')).toBe(0);
  });

  it('takes memory, timeout, environment and description from its props, and lets Terraform deploy code when asked', () => {
    const { json } = build({ memoryMiB: 512, timeoutSec: 30, environment: { TABLE: 'jobs' }, description: 'Uploads', codeManagedExternally: false, tracing: 'PassThrough' });
    const fn = onlyOf(json, 'aws_lambda_function');
    expect(fn).toMatchObject({ memory_size: 512, timeout: 30, environment: { variables: { TABLE: 'jobs' } }, description: 'Uploads', tracing_config: { mode: 'PassThrough' } });
    expect(isAbsent(fn, 'lifecycle')).toBe(true);
  });

  it('deploys from S3 without an asset', () => {
    const fn = onlyOf(build({ code: { s3Bucket: 'nva-artifacts', s3Key: 'upload.zip' } }).json, 'aws_lambda_function');
    expect(fn).toMatchObject({ s3_bucket: 'nva-artifacts', s3_key: 'upload.zip' });
    expect(isAbsent(fn, 'filename')).toBe(true);
    expect(isAbsent(fn, 'source_code_hash')).toBe(true);
  });

  it('creates /aws/lambda/<name> with 30 days of retention before the function', () => {
    const { json } = build();
    expect(onlyOf(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/upload-handler', retention_in_days: 30 });
    const fn = onlyOf(json, 'aws_lambda_function');
    expect(fn.depends_on).toContain(address(json, 'aws_cloudwatch_log_group'));
    expect(fn.logging_config).toEqual({ log_format: 'Text', log_group: ref(json, 'aws_cloudwatch_log_group', 'name') });
    expect(onlyOf(build({ logRetentionDays: 14 }).json, 'aws_cloudwatch_log_group').retention_in_days).toBe(14);
  });

  it('runs with its own role that writes to its log group only, sends traces, and waits for its policies', () => {
    const { json } = build();
    const role = onlyOf(json, 'aws_iam_role');
    expect(role.name_prefix).toBe('upload-handler-lambda-');
    expect(statementsOf(role, 'assume_role_policy')).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${ref(json, 'aws_cloudwatch_log_group', 'arn')}:*` },
    ]);
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess']);
    const deps = onlyOf(json, 'aws_lambda_function').depends_on as string[];
    expect(deps).toContain(address(json, 'aws_iam_role_policy'));
    expect(deps).toContain(address(json, 'aws_iam_role_policy_attachment'));
  });

  it('is grantable: statements go to its role, and a policy granted later is still waited for', () => {
    const table = 'arn:aws:dynamodb:eu-west-1:123456789012:table/jobs';
    const { json } = build({ code: { s3Bucket: 'nva-artifacts', s3Key: 'upload.zip' } }, (fn) => {
      fn.addToPolicy({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table });
      fn.role.addManagedPolicy('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    });
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toContainEqual({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: table });
    expect(onlyOf(json, 'aws_lambda_function').depends_on).toContain(address(json, 'aws_iam_role_policy_attachment', (a) => a.policy_arn.endsWith('AmazonS3ReadOnlyAccess')));
  });

  it('encrypts its environment with a customer key that its role may decrypt with', () => {
    const out = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'nva-lambda', description: 'Lambda environment' });
      new LambdaFunction(stack, 'fn', { ...BASE, environment: { TABLE: 'jobs' }, kmsKey: key });
    }).json;
    const keyArn = ref(out, 'aws_kms_key', 'arn');
    expect(onlyOf(out, 'aws_lambda_function').kms_key_arn).toBe(keyArn);
    expect(statementsOf(onlyOf(out, 'aws_iam_role_policy'))).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keyArn });
  });

  it('sends failed asynchronous events to a dead-letter queue it may send to, with the queue\'s key', () => {
    const { json } = synthConstructs((stack) => {
      const kmsKey = new EncryptionKey(stack, 'key', { alias: 'upload-dlq', description: 'DLQ' });
      const deadLetterQueue = new Queue(stack, 'dlq', { queueName: 'upload-dlq', kmsKey, deadLetterQueue: false });
      new LambdaFunction(stack, 'fn', { ...BASE, deadLetterQueue });
    });
    const queueArn = ref(json, 'aws_sqs_queue', 'arn');
    expect(onlyOf(json, 'aws_lambda_function').dead_letter_config).toEqual({ target_arn: queueArn });
    const statements = statementsOf(onlyOf(json, 'aws_iam_role_policy'));
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: queueArn });
    expect(statements).toContainEqual({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: ref(json, 'aws_kms_key', 'arn') });
  });

  it('sends failed asynchronous events to a dead-letter topic it may publish to, one made elsewhere included', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:upload-failures';
    const { json } = synthConstructs((stack) => {
      new LambdaFunction(stack, 'fn', { ...BASE, deadLetterTopic: Topic.fromTopicArn(stack, 'failures', topicArn) });
    });
    expect(onlyOf(json, 'aws_lambda_function').dead_letter_config).toEqual({ target_arn: topicArn });
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toContainEqual({ Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn });
  });

  it('runs in the private subnets with its own security group and waits for the NAT routes', () => {
    const json = buildInVpc((stack, vpc) => new LambdaFunction(stack, 'fn', { ...BASE, vpc }));
    const sg = filterOf(json, 'aws_security_group', (s) => s.tags?.Name === 'upload-handler-lambda');
    expect(sg).toHaveLength(1);
    expect(sg[0]).toMatchObject({ name_prefix: 'upload-handler-lambda-', vpc_id: ref(json, 'aws_vpc', 'id'), lifecycle: { create_before_destroy: true } });
    const sgId = ref(json, 'aws_security_group', 'id', (s) => s.tags?.Name === 'upload-handler-lambda');
    const privateSubnets = resourcesOf(json, 'aws_subnet')
      .filter(([, s]) => s.tags.Type === 'private')
      .map(([key]) => `\${aws_subnet.${key}.id}`);
    const fn = onlyOf(json, 'aws_lambda_function');
    expect(fn.vpc_config).toEqual({ subnet_ids: privateSubnets, security_group_ids: [sgId] });
    expect(allOf(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
    const natRoutes = resourcesOf(json, 'aws_route').filter(([, r]) => r.nat_gateway_id !== undefined);
    expect(natRoutes).toHaveLength(2);
    for (const [key] of natRoutes) expect(fn.depends_on).toContain(`aws_route.${key}`);
    // Its all-outbound rule exists before it runs.
    expect(fn.depends_on).toContain(address(json, 'aws_vpc_security_group_egress_rule', (r) => r.security_group_id === sgId));
  });

  it('mounts an EFS access point under /mnt, opens NFS to itself, may mount read-only, and waits for the mount targets', () => {
    const json = buildInVpc((stack, vpc, efs) => new LambdaFunction(stack, 'fn', { ...BASE, vpc, efs: { fileSystem: efs, mountPath: '/mnt/models', readOnly: true } }));
    const fn = onlyOf(json, 'aws_lambda_function');
    expect(fn.file_system_config).toEqual({ arn: ref(json, 'aws_efs_access_point', 'arn'), local_mount_path: '/mnt/models' });
    const lambdaSg = ref(json, 'aws_security_group', 'id', (s) => s.tags?.Name === 'upload-handler-lambda');
    const efsSg = ref(json, 'aws_security_group', 'id', (s) => s.tags?.Name === 'nva-models-efs');
    expect(onlyOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({
      security_group_id: efsSg,
      referenced_security_group_id: lambdaSg,
      ip_protocol: 'tcp',
      from_port: 2049,
      to_port: 2049,
      description: 'NFS from upload-handler',
    });
    expect(statementsOf(onlyOf(json, 'aws_iam_role_policy'))).toContainEqual({
      Effect: 'Allow',
      Action: ['elasticfilesystem:ClientMount'],
      Resource: ref(json, 'aws_efs_file_system', 'arn'),
      Condition: { StringEquals: { 'elasticfilesystem:AccessPointArn': ref(json, 'aws_efs_access_point', 'arn') } },
    });
    const deps = fn.depends_on as string[];
    for (const [key] of resourcesOf(json, 'aws_efs_mount_target')) expect(deps).toContain(`aws_efs_mount_target.${key}`);
    expect(deps).toContain(address(json, 'aws_efs_access_point'));
    expect(deps).toContain(address(json, 'aws_vpc_security_group_ingress_rule'));
  });

  it('publishes versions and carries provisioned concurrency on a live alias the pipeline moves', () => {
    const { json, fn } = build({ provisionedConcurrency: 5, reservedConcurrency: 20 });
    const resource = onlyOf(json, 'aws_lambda_function');
    expect(resource).toMatchObject({ publish: true, reserved_concurrent_executions: 20 });
    const alias = onlyOf(json, 'aws_lambda_alias');
    expect(alias).toMatchObject({
      name: 'live',
      function_name: ref(json, 'aws_lambda_function', 'function_name'),
      function_version: ref(json, 'aws_lambda_function', 'version'),
      lifecycle: { ignore_changes: ['function_version'] },
    });
    expect(onlyOf(json, 'aws_lambda_provisioned_concurrency_config')).toEqual({
      function_name: ref(json, 'aws_lambda_function', 'function_name'),
      qualifier: ref(json, 'aws_lambda_alias', 'name'),
      provisioned_concurrent_executions: 5,
    });
    expect(fn.alias).toBeDefined();
  });

  it('grantInvoke allows a principal from a source ARN, on the alias when there is one', () => {
    const source = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/*/*';
    const plain = build({}, (fn) => fn.grantInvoke('apigateway.amazonaws.com', source)).json;
    expect(onlyOf(plain, 'aws_lambda_permission')).toEqual({
      action: 'lambda:InvokeFunction',
      function_name: ref(plain, 'aws_lambda_function', 'function_name'),
      principal: 'apigateway.amazonaws.com',
      source_arn: source,
    });
    const aliased = build({ provisionedConcurrency: 1 }, (fn) => fn.grantInvoke('apigateway.amazonaws.com', source)).json;
    expect(onlyOf(aliased, 'aws_lambda_permission').qualifier).toBe(ref(aliased, 'aws_lambda_alias', 'name'));
  });

  it('grantInvoke needs distinct ids for the same principal', () => {
    const source = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/*/*';
    const twice = errorOf(() => build({}, (fn) => [fn.grantInvoke('apigateway.amazonaws.com', source), fn.grantInvoke('apigateway.amazonaws.com', source)]));
    expect(twice).toBe('test/fn: grantInvoke.id: "invoke-apigateway-amazonaws-com" is already used by another permission of this function; give a distinct id');
    const { json } = build({}, (fn) => [fn.grantInvoke('apigateway.amazonaws.com', source), fn.grantInvoke('apigateway.amazonaws.com', source, 'second-api')]);
    expect(countOf(json, 'aws_lambda_permission')).toBe(2);
  });

  it('exposes the invoke ARN of the function, or of its alias', () => {
    const stackOf = (props: Partial<LambdaFunctionProps>) =>
      build(props, (fn, stack) => new TerraformOutput(stack, 'invoke-arn', { value: fn.invokeArn })).json.output!['invoke-arn'].value;
    expect(stackOf({})).toMatch(/^\$\{aws_lambda_function\.fn_this_\w+\.invoke_arn\}$/);
    expect(stackOf({ provisionedConcurrency: 1 })).toMatch(/^\$\{aws_lambda_alias\.fn_alias_\w+\.invoke_arn\}$/);
  });

  it('offers its CloudWatch metrics', () => {
    const { fn } = build();
    const dimensions = { FunctionName: 'upload-handler' };
    expect(fn.metricErrors()).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensions, stat: 'Sum' });
    expect(fn.metricInvocations()).toMatchObject({ metricName: 'Invocations', dimensions, stat: 'Sum' });
    expect(fn.metricDuration()).toMatchObject({ metricName: 'Duration', dimensions, stat: 'p99' });
    expect(fn.metricDuration('Average').stat).toBe('Average');
    expect(fn.metricThrottles()).toMatchObject({ metricName: 'Throttles', stat: 'Sum' });
    expect(fn.metricConcurrentExecutions()).toMatchObject({ metricName: 'ConcurrentExecutions', stat: 'Maximum' });
  });

  it('offers its error rate as metric math that reads 0 without invocations', () => {
    const { fn } = build();
    const rate = fn.metricErrorRate();
    expect(rate.expression).toBe('IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / invocations, 0)');
    expect(rate.metrics).toEqual({ errors: fn.metricErrors(), invocations: fn.metricInvocations() });
    expect(rate.label).toBe('upload-handler error rate (%)');
  });

  it('grantInvokeRole lets a role call the function and any of its versions and aliases', () => {
    const { json } = build({}, (fn, stack) => fn.grantInvokeRole(new ServiceRole(stack, 'caller', { name: 'worker', assumedBy: 'ecs-tasks.amazonaws.com' })));
    const policy = filterOf(json, 'aws_iam_role_policy', (p) => p.role.includes('aws_iam_role.caller_role'));
    expect(policy).toHaveLength(1);
    const arn = ref(json, 'aws_lambda_function', 'arn');
    expect(statementsOf(policy[0])).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [arn, `${arn}:*`] }]);
  });

  it('lists every bad prop in one message', () => {
    const message = buildError({
      functionName: 'upload handler',
      runtime: 'python2.7' as never,
      memoryMiB: 64,
      timeoutSec: 901,
      logRetentionDays: 10,
      environment: { AWS_REGION: 'eu-west-1', '1BAD': 'x' },
      provisionedConcurrency: 30,
      reservedConcurrency: 10,
    });
    expect(message.split('\n')).toEqual([
      'test/fn: invalid props:',
      '  functionName: "upload handler" is not a Lambda function name (1-64 letters, digits, "-" and "_")',
      expect.stringMatching(/^ {2}runtime: "python2\.7" is not allowed; allowed: "python3\.9", .*"provided\.al2023"$/),
      '  memoryMiB: 64 is out of range; allowed: 128 to 10240 MiB',
      '  timeoutSec: 901 is out of range; allowed: 1 to 900 seconds',
      expect.stringMatching(/^ {2}logRetentionDays: 10 is not a CloudWatch retention; allowed: 1, 3, 5, 7, 14, 30, /),
      '  environment.AWS_REGION: "AWS_REGION" is set by Lambda itself and cannot be configured',
      '  environment.1BAD: "1BAD" is not an environment variable name (letters, digits and "_", not starting with a digit)',
      '  provisionedConcurrency: 30 exceeds reservedConcurrency 10; allowed: at most the reserved concurrency',
    ]);
  });

  it('refuses settings that have no effect or cannot work together', () => {
    expect(errorOf(() => synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'k', description: 'k' });
      new LambdaFunction(stack, 'fn', { ...BASE, kmsKey: key });
    }))).toBe('test/fn: kmsKey: has no effect without environment (it encrypts environment variables only)');
    expect(errorOf(() => buildInVpc((stack, _vpc, efs) => new LambdaFunction(stack, 'fn', { ...BASE, efs: { fileSystem: efs, mountPath: '/data' } })))).toBe(
      [
        'test/fn: invalid props:',
        '  efs: needs vpc (Lambda mounts EFS through network interfaces in the VPC)',
        '  efs.mountPath: "/data" is not a Lambda mount path; allowed: "/mnt/<name>" (letters, digits, ".", "_" and "-")',
      ].join('\n'),
    );
    expect(
      errorOf(() =>
        synthConstructs((stack) => {
          const deadLetterQueue = new Queue(stack, 'dlq', { queueName: 'upload-dlq', deadLetterQueue: false });
          new LambdaFunction(stack, 'fn', { ...BASE, deadLetterQueue, deadLetterTopic: Topic.fromTopicArn(stack, 'failures', 'arn:aws:sns:eu-west-1:123456789012:upload-failures') });
        }),
      ),
    ).toBe('test/fn: deadLetterTopic: and deadLetterQueue (test/dlq) exclude each other; Lambda takes one dead-letter target');
    expect(buildError({ code: { assetPath: '/nonexistent/code' } })).toBe('test/fn: code.assetPath: "/nonexistent/code" is not a directory');
    expect(buildError({ code: { s3Bucket: 'Bad_Bucket', s3Key: '' } })).toBe(
      ['test/fn: invalid props:', '  code.s3Bucket: "Bad_Bucket" is not an S3 bucket name', '  code.s3Key: "" is empty; give the key of the zip'].join('\n'),
    );
  });
});

describe('bootstrapCodePath', () => {
  it('is a python package whose handler answers 503 until the real code is deployed', () => {
    const dir = bootstrapCodePath('python3.12');
    expect(path.isAbsolute(dir)).toBe(true);
    const source = fs.readFileSync(path.join(dir, 'index.py'), 'utf8');
    expect(source).toMatch(/^def handler\(event, context\):$/m);
    expect(source).toContain('"statusCode": 503');
    expect(source).toContain('is deployed, but its code is not: deploy it with aws lambda update-function-code');
  });

  it('has no package for other runtimes', () => {
    expect(errorOf(() => bootstrapCodePath('nodejs20.x'))).toMatch(/^bootstrapCodePath: there is no bootstrap package for runtime "nodejs20\.x"; allowed: the python3\.x runtimes/);
  });
});
