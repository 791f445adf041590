import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { LambdaFunction as LambdaFunctionResource } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { dependOn } from '../../core/dependencies';
import { MAX_DIRECT_UPLOAD_BYTES, packageDirectory } from './package';
import { IGrantable, PolicyStatement } from '../../core/iam';
import { Metric, MetricMath } from '../../core/metric';
import { RETENTION_DAYS } from '../../core/naming';
import { nameTags } from '../../core/tags';
import { BUCKET_PATTERN, ENV_VAR_PATTERN, PropsValidator, isArn } from '../../core/validation';
import { Relations } from '../../core/relations';
import { ServiceRole } from '../../security/iam';
import { EncryptionKey } from '../../security/kms';
import { LogGroup } from '../../observability/logs';
import { SecurityGroup } from '../../network/security-group';
import type { SharedFileSystem } from '../../data/efs';
import type { IVpc } from '../../network/vpc';
import type { Queue } from '../../data/queue';
import type { ITopic } from '../../data/topic';

/** Lambda runtimes the construct accepts (current, not deprecated ones). */
export const LAMBDA_RUNTIMES = [
  'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13',
  'nodejs18.x', 'nodejs20.x', 'nodejs22.x',
  'java11', 'java17', 'java21',
  'dotnet8',
  'ruby3.2', 'ruby3.3',
  'provided.al2', 'provided.al2023',
] as const;

/** A Lambda runtime identifier. */
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];

/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED_ENV = [
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
];

/**
 * Arguments a deploy pipeline changes with `aws lambda update-function-code` (see
 * `codeManagedExternally`). The documents also list `last_modified` and `version`; both are decided
 * by the provider alone, so Terraform ignores them anyway and warns on every plan ("Redundant
 * ignore_changes element") when they are listed: they are left out.
 */
const CODE_ATTRIBUTES = ['filename', 'source_code_hash', 's3_key', 's3_object_version'];

/** Name of the alias created with provisioned concurrency. */
const LIVE_ALIAS = 'live';

/**
 * The directory of the placeholder package for `runtime`: a handler `index.handler` that answers
 * HTTP 503 with `{"message": "<function> is deployed, but its code is not: ..."}`. Pass it as
 * `code: { assetPath: bootstrapCodePath(runtime) }` with `handler: "index.handler"` when the real
 * code is deployed outside Terraform (`codeManagedExternally`). Python runtimes only.
 */
export function bootstrapCodePath(runtime: LambdaRuntime): string {
  if (!runtime.startsWith('python')) {
    throw new Error(`bootstrapCodePath: there is no bootstrap package for runtime ${JSON.stringify(runtime)}; allowed: the python3.x runtimes (${LAMBDA_RUNTIMES.filter((r) => r.startsWith('python')).join(', ')}), or give the function its own code`);
  }
  return path.join(__dirname, 'bootstrap', 'python');
}

/** Where the function's code comes from. */
export type LambdaCode =
  | {
      /**
       * A directory, zipped at synth (a cdktf `TerraformAsset` of type ARCHIVE) into the stack's
       * `assets/` folder; the function's `filename` points at the zip and `source_code_hash` is
       * its `filebase64sha256`. Relative paths are relative to cdktf.json.
       */
      readonly assetPath: string;
    }
  | {
      /** Bucket holding the deployment package. */
      readonly s3Bucket: string;
      /** Key of the zip in the bucket. */
      readonly s3Key: string;
    };

/** An EFS access point mounted into the function. */
export interface LambdaEfsOptions {
  /** The file system: mounted through its access point, NFS opened to the function's security group. */
  readonly fileSystem: SharedFileSystem;
  /** Where the function sees it; Lambda requires a path under `/mnt/`, e.g. `/mnt/models`. */
  readonly mountPath: string;
  /**
   * Grant only `elasticfilesystem:ClientMount` (no `ClientWrite`): the mount is read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

export interface LambdaFunctionProps {
  /** Function name: 1-64 letters, digits, "-" and "_"; also the base of its role, log group and security group. */
  readonly functionName: string;
  /** @default - none */
  readonly description?: string;
  /** Runtime identifier, one of `LAMBDA_RUNTIMES` (e.g. `python3.12`, `nodejs20.x`). */
  readonly runtime: LambdaRuntime;
  /** Entry point, e.g. `index.handler` (module `index`, function `handler`). */
  readonly handler: string;
  /** The deployment package: a local directory zipped at synth, or an object in S3. */
  readonly code: LambdaCode;
  /**
   * Let a deploy pipeline own the code: Terraform ignores `filename`, `source_code_hash`, `s3_key`
   * and `s3_object_version` after creation, so an `aws lambda update-function-code` is not rolled
   * back by the next `apply` (the documents' drift protection; `last_modified` and `version`, also
   * in their list, are never compared by Terraform). Turn off to deploy code changes with Terraform.
   * @default true
   */
  readonly codeManagedExternally?: boolean;
  /** Memory in MiB (128-10240); CPU scales with it. @default 128 */
  readonly memoryMiB?: number;
  /** Timeout in seconds (1-900). Behind a REST API, requests end after 29 s whatever this is. @default 3 */
  readonly timeoutSec?: number;
  /** Plain environment variables (4 KB in total; Lambda's own names such as `AWS_REGION` are refused). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Customer managed key encrypting the environment variables at rest; the role may decrypt with
   * it. Needs `environment`.
   * @default - with `environment`, the stack's default key for functions
   * (`EncryptionKey.useAsStackDefault`), else Lambda's AWS managed key
   */
  readonly kmsKey?: EncryptionKey;
  /** Days the log group `/aws/lambda/<functionName>` keeps events (a CloudWatch retention). @default 30 */
  readonly logRetentionDays?: number;
  /**
   * X-Ray tracing: `Active` samples requests itself, `PassThrough` only traces requests an upstream
   * service sampled. The role gets `AWSXRayDaemonWriteAccess` in both modes.
   * @default "Active"
   */
  readonly tracing?: 'Active' | 'PassThrough';
  /**
   * Run in the private subnets of a VPC: a security group of its own (all outbound open), the
   * `AWSLambdaVPCAccessExecutionRole` policy, and a wait for the VPC's NAT routes and endpoints.
   * @default - outside any VPC
   */
  readonly vpc?: IVpc;
  /** Mount an EFS access point (needs `vpc`). @default - none */
  readonly efs?: LambdaEfsOptions;
  /**
   * Concurrent executions reserved for (and capping) the function; 0 stops every invocation.
   * @default - the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * Pre-initialized execution environments. The function publishes versions and gets an alias
   * `live` carrying the provisioned concurrency; `invokeArn`, `grantInvoke` and API integrations
   * then use the alias. Terraform ignores the alias's `function_version` after creation: the
   * pipeline that deploys the code publishes a version and moves the alias
   * (`aws lambda update-alias --name live`). Configuration changes made by Terraform (memory,
   * environment) also reach the alias only through a version published that way.
   * @default - none (no versions, no alias)
   */
  readonly provisionedConcurrency?: number;
  /**
   * SQS queue for events that failed every asynchronous attempt (not with `deadLetterTopic`); the
   * role may send to it, and use its customer managed key (`queue.grantSend`).
   * @default - no dead-letter queue
   */
  readonly deadLetterQueue?: Queue;
  /**
   * SNS topic for events that failed every asynchronous attempt (not with `deadLetterQueue`); the
   * role may publish to it (`topic.grantPublish`). A topic made elsewhere: `Topic.fromTopicArn`.
   * @default - no dead-letter topic
   */
  readonly deadLetterTopic?: ITopic;
}

/**
 * A Lambda function with its own role (least privilege: writes to its own log group only), a log
 * group created before it, X-Ray tracing, optional VPC and EFS wiring, and optional provisioned
 * concurrency on a `live` alias. The function waits for its role's policies, security-group rules,
 * NAT routes and EFS mount targets, so its first invocation works. Code is deployed by default
 * outside Terraform (`codeManagedExternally`).
 */
export class LambdaFunction extends Construct implements IGrantable {
  /** The function resource. */
  public readonly resource: LambdaFunctionResource;
  public readonly functionName: string;
  /** Unqualified ARN of the function. */
  public readonly functionArn: string;
  /** ARN API Gateway integrations invoke: the alias's when there is one, else the function's. */
  public readonly invokeArn: string;
  /** The execution role; grants add to its inline policy. */
  public readonly role: ServiceRole;
  public readonly logGroup: LogGroup;
  /** The function's security group, when it runs in a VPC. */
  public readonly securityGroup?: SecurityGroup;
  /** The `live` alias, with provisioned concurrency. */
  public readonly alias?: LambdaAlias;
  private readonly name: string;
  private readonly permissionIds = new Set<string>();

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    const packageDir = this.validate(props);
    this.name = props.functionName;

    // ----- log group, role, network -----
    this.logGroup = new LogGroup(this, 'logs', { name: `/aws/lambda/${props.functionName}`, retentionDays: props.logRetentionDays ?? 30 });
    this.role = new ServiceRole(this, 'role', { name: `${props.functionName}-lambda`, assumedBy: 'lambda.amazonaws.com', description: `Execution role of the Lambda function ${props.functionName}` });
    this.logGroup.grantWrite(this.role);
    this.role.addManagedPolicy('arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess');
    const key = props.kmsKey ?? (Object.keys(props.environment ?? {}).length > 0 ? EncryptionKey.stackDefault(this, 'functions') : undefined);
    if (key) key.grantDecrypt(this.role);
    props.deadLetterQueue?.grantSend(this);
    props.deadLetterTopic?.grantPublish(this);
    if (props.vpc) {
      this.securityGroup = new SecurityGroup(this, 'sg', { name: `${props.functionName}-lambda`, description: `Lambda function ${props.functionName}`, vpcId: props.vpc.vpcId });
      this.role.addManagedPolicy('arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
    }
    if (props.efs) {
      props.efs.fileSystem.allowFrom(this.securityGroup!.securityGroupId, `NFS from ${props.functionName}`);
      props.efs.fileSystem.grantMount(this.role, props.efs.readOnly ?? false);
    }

    // ----- function -----
    this.resource = this.functionFor(props, packageDir, key);
    this.functionName = this.resource.functionName;
    this.functionArn = this.resource.arn;
    this.waitForFirstInvocation(props);
    if (props.provisionedConcurrency !== undefined) this.alias = this.liveAlias(props.provisionedConcurrency);
    this.invokeArn = this.alias ? this.alias.invokeArn : this.resource.invokeArn;
  }

  /** Checks every prop (before any resource exists); returns the package directory of `code.assetPath`. */
  private validate(props: LambdaFunctionProps): string | undefined {
    const env = props.environment ?? {};
    const v = new PropsValidator(this)
      .matches('functionName', props.functionName, /^[A-Za-z0-9_-]{1,64}$/, 'a Lambda function name (1-64 letters, digits, "-" and "_")')
      .oneOf('runtime', props.runtime, LAMBDA_RUNTIMES)
      .check(props.handler.length > 0 && props.handler.length <= 128, 'handler', props.handler, 'is not a handler; give 1-128 characters such as "index.handler"')
      .check(Number.isInteger(props.memoryMiB ?? 128), 'memoryMiB', props.memoryMiB, 'is not a whole number of MiB')
      .range('memoryMiB', props.memoryMiB, 128, 10240, 'MiB')
      .check(Number.isInteger(props.timeoutSec ?? 3), 'timeoutSec', props.timeoutSec, 'is not a whole number of seconds')
      .range('timeoutSec', props.timeoutSec, 1, 900, 'seconds')
      .check(RETENTION_DAYS.includes(props.logRetentionDays ?? 30), 'logRetentionDays', props.logRetentionDays ?? 30, `is not a CloudWatch retention; allowed: ${RETENTION_DAYS.join(', ')}`)
      .oneOf('tracing', props.tracing, ['Active', 'PassThrough']);
    let packageDir: string | undefined;
    if ('assetPath' in props.code) {
      packageDir = resolveAssetDir(this, props.code.assetPath);
      v.check(packageDir !== undefined && isDirectory(packageDir), 'code.assetPath', props.code.assetPath, `is not a directory${path.isAbsolute(props.code.assetPath) ? '' : ' (relative paths are relative to cdktf.json)'}`);
    } else {
      v.matches('code.s3Bucket', props.code.s3Bucket, BUCKET_PATTERN, 'an S3 bucket name').check(props.code.s3Key.length > 0, 'code.s3Key', props.code.s3Key, 'is empty; give the key of the zip');
    }
    for (const [key, value] of Object.entries(env)) {
      v.matches(`environment.${key}`, key, ENV_VAR_PATTERN, 'an environment variable name (letters, digits and "_", not starting with a digit)');
      v.check(!RESERVED_ENV.includes(key), `environment.${key}`, key, 'is set by Lambda itself and cannot be configured');
      v.check(typeof value === 'string', `environment.${key}`, value, 'is not a string');
    }
    const envSize = Object.entries(env).reduce((n, [k, x]) => n + k.length + (Token.isUnresolved(x) ? 0 : String(x).length), 0);
    v.check(envSize <= 4096, 'environment', `${envSize} bytes`, 'exceeds the 4 KB Lambda allows for environment variables');
    if (props.kmsKey && Object.keys(env).length === 0) v.fail('kmsKey', 'has no effect without environment (it encrypts environment variables only)');
    if (props.reservedConcurrency !== undefined) {
      v.check(Number.isInteger(props.reservedConcurrency), 'reservedConcurrency', props.reservedConcurrency, 'is not a whole number').range('reservedConcurrency', props.reservedConcurrency, 0, 100000);
    }
    if (props.provisionedConcurrency !== undefined) {
      v.check(Number.isInteger(props.provisionedConcurrency), 'provisionedConcurrency', props.provisionedConcurrency, 'is not a whole number').range('provisionedConcurrency', props.provisionedConcurrency, 1, 100000);
      if (props.reservedConcurrency !== undefined && props.provisionedConcurrency > props.reservedConcurrency) {
        v.fail('provisionedConcurrency', `${props.provisionedConcurrency} exceeds reservedConcurrency ${props.reservedConcurrency}; allowed: at most the reserved concurrency`);
      }
    }
    if (props.deadLetterQueue && props.deadLetterTopic) v.fail('deadLetterTopic', `and deadLetterQueue (${props.deadLetterQueue.node.path}) exclude each other; Lambda takes one dead-letter target`);
    if (props.efs) {
      if (!props.vpc) v.fail('efs', 'needs vpc (Lambda mounts EFS through network interfaces in the VPC)');
      v.matches('efs.mountPath', props.efs.mountPath, /^\/mnt\/[A-Za-z0-9._-]+$/, 'a Lambda mount path; allowed: "/mnt/<name>" (letters, digits, ".", "_" and "-")');
    }
    v.throwIfInvalid();
    return packageDir;
  }

  /** The deployment package: the directory zipped here (deterministically, see ./package) into a cdktf asset, or the object in S3. */
  private code(props: LambdaFunctionProps, packageDir: string | undefined): { filename: string; sourceCodeHash: string } | { s3Bucket: string; s3Key: string } {
    if (!('assetPath' in props.code)) return { s3Bucket: props.code.s3Bucket, s3Key: props.code.s3Key };
    const zip = packageDirectory(packageDir!);
    const size = fs.statSync(zip).size;
    if (size > MAX_DIRECT_UPLOAD_BYTES) new PropsValidator(this).fail('code.assetPath', `zips to ${(size / 1048576).toFixed(1)} MiB, above the 50 MiB Lambda takes as a direct upload; upload it to S3 and give code.s3Bucket and code.s3Key`).throwIfInvalid();
    // cdktf copies the zip into the stack's assets.
    const asset = new TerraformAsset(this, 'code', { path: zip, type: AssetType.FILE });
    return { filename: asset.path, sourceCodeHash: Fn.filebase64sha256(asset.path) };
  }

  /** The function resource. */
  private functionFor(props: LambdaFunctionProps, packageDir: string | undefined, key: EncryptionKey | undefined): LambdaFunctionResource {
    const env = props.environment ?? {};
    const deadLetterArn = props.deadLetterQueue?.queueArn ?? props.deadLetterTopic?.topicArn;
    return new LambdaFunctionResource(this, 'this', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.roleArn,
      runtime: props.runtime,
      handler: props.handler,
      ...this.code(props, packageDir),
      memorySize: props.memoryMiB ?? 128,
      timeout: props.timeoutSec ?? 3,
      environment: Object.keys(env).length > 0 ? { variables: { ...env } } : undefined,
      kmsKeyArn: key?.keyArn,
      tracingConfig: { mode: props.tracing ?? 'Active' },
      // The reference to the log group orders it first: nothing the function logs goes to an auto-created group.
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.logGroupName },
      vpcConfig: props.vpc ? { subnetIds: [...props.vpc.privateSubnetIds], securityGroupIds: [this.securityGroup!.securityGroupId] } : undefined,
      fileSystemConfig: props.efs ? { arn: props.efs.fileSystem.accessPointArn, localMountPath: props.efs.mountPath } : undefined,
      reservedConcurrentExecutions: props.reservedConcurrency,
      publish: props.provisionedConcurrency !== undefined || undefined,
      deadLetterConfig: deadLetterArn !== undefined ? { targetArn: deadLetterArn } : undefined,
      lifecycle: props.codeManagedExternally ?? true ? { ignoreChanges: CODE_ATTRIBUTES } : undefined,
      tags: nameTags(props.functionName),
    });
  }

  /** Makes the function wait for everything its first invocation needs: log group, role policies, NAT routes, security group rules, EFS mount targets. */
  private waitForFirstInvocation(props: LambdaFunctionProps): void {
    dependOn(this.resource, this.logGroup.resource);
    this.role.addDependent(this.resource);
    if (props.vpc) {
      dependOn(this.resource, ...props.vpc.egressDependables);
      this.securityGroup!.addDependent(this.resource);
    }
    if (props.efs) {
      dependOn(this.resource, ...props.efs.fileSystem.mountDependables);
      props.efs.fileSystem.securityGroup.addDependent(this.resource);
    }
  }

  /** The `live` alias carrying `provisioned` pre-initialized environments. */
  private liveAlias(provisioned: number): LambdaAlias {
    const alias = new LambdaAlias(this, 'alias', {
      name: LIVE_ALIAS,
      description: 'Moved by the deploy pipeline (aws lambda update-alias); Terraform ignores its version after creation',
      functionName: this.resource.functionName,
      functionVersion: this.resource.version,
      lifecycle: { ignoreChanges: ['function_version'] },
    });
    new LambdaProvisionedConcurrencyConfig(this, 'provisioned-concurrency', {
      functionName: this.resource.functionName,
      qualifier: alias.name,
      provisionedConcurrentExecutions: provisioned,
    });
    return alias;
  }

  /** Adds a statement to the execution role's policy. */
  public addToPolicy(statement: PolicyStatement): void {
    this.role.addToPolicy(statement);
  }

  /**
   * Lets `principal` (a service such as `apigateway.amazonaws.com`, or an account) invoke the
   * function (its alias, when there is one) from `sourceArn`. `id` names the permission (default
   * `invoke-<principal>`); give one when the same principal is allowed more than once.
   */
  public grantInvoke(principal: string, sourceArn: string, id?: string): LambdaPermission {
    const permissionId = id ?? `invoke-${principal.replace(/[^A-Za-z0-9]+/g, '-')}`;
    new PropsValidator(this)
      .check(principal.length > 0, 'grantInvoke.principal', principal, 'is empty; give a service principal or account')
      .check(sourceArn.length > 0 && (Token.isUnresolved(sourceArn) || isArn(sourceArn)), 'grantInvoke.sourceArn', sourceArn, 'is not an ARN')
      .check(!this.permissionIds.has(permissionId), 'grantInvoke.id', permissionId, 'is already used by another permission of this function; give a distinct id')
      .throwIfInvalid();
    this.permissionIds.add(permissionId);
    return new LambdaPermission(this, permissionId, {
      action: 'lambda:InvokeFunction',
      functionName: this.resource.functionName,
      principal,
      sourceArn,
      qualifier: this.alias?.name,
    });
  }

  /**
   * Lets `grantee` (a role: an ECS task, another function) call the function, unqualified or
   * through any version or alias (`lambda:InvokeFunction` on the function and `<arn>:*`).
   */
  public grantInvokeRole(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'invoke');
    grantee.addToPolicy({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [this.functionArn, `${this.functionArn}:*`] });
  }

  private metric(metricName: string, stat: string): Metric {
    return { namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: this.name }, stat, label: `${this.name} ${metricName}` };
  }

  /** Invocations that ended in an error (function error or timeout), summed. */
  public metricErrors(): Metric {
    return this.metric('Errors', 'Sum');
  }

  /** Invocations, summed. */
  public metricInvocations(): Metric {
    return this.metric('Invocations', 'Sum');
  }

  /** Run time of invocations in milliseconds. */
  public metricDuration(stat = 'p99'): Metric {
    return this.metric('Duration', stat);
  }

  /** Invocations refused for lack of concurrency, summed. */
  public metricThrottles(): Metric {
    return this.metric('Throttles', 'Sum');
  }

  /**
   * Errors in percent of invocations, as metric math: 0 in a period without invocations (a plain
   * `errors / invocations` has no value then, and an alarm on it never recovers to OK), and a
   * function that fails every call reads 100.
   */
  public metricErrorRate(): MetricMath {
    return {
      expression: 'IF(FILL(invocations, 0) > 0, 100 * FILL(errors, 0) / invocations, 0)',
      metrics: { errors: this.metricErrors(), invocations: this.metricInvocations() },
      label: `${this.name} error rate (%)`,
    };
  }

  /** Environments running at once, at most. */
  public metricConcurrentExecutions(): Metric {
    return this.metric('ConcurrentExecutions', 'Maximum');
  }
}

/** `p` as an absolute path: relative paths are relative to cdktf.json, as cdktf assets are. */
function resolveAssetDir(scope: Construct, p: string): string | undefined {
  if (path.isAbsolute(p)) return p;
  let cdktfJson = scope.node.tryGetContext('cdktfJsonPath') as string | undefined;
  for (let dir = process.cwd(); !cdktfJson; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdktf.json'))) cdktfJson = path.join(dir, 'cdktf.json');
    if (path.dirname(dir) === dir) break;
  }
  return cdktfJson ? path.resolve(path.dirname(cdktfJson), p) : undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
