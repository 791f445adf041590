import { Construct } from 'constructs';
import { Lazy, Token } from 'cdktf';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsStack } from '../core/aws-stack';
import { RemoteStateConfig, stateKey } from '../core/backend';
import { IGrantable, PolicyStatement, policyDocument } from '../core/iam';
import { nameTags } from '../core/tags';
import { PropsValidator, isArn } from '../core/validation';
import { Relations } from '../core/relations';

import { GITHUB_OIDC_HOST } from './github-oidc';

/** The audience `aws-actions/configure-aws-credentials` asks GitHub for. */
const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** AWS managed policy the role gets for `terraform plan` (see `GithubDeployRoleProps.readOnlyAccess`). */
const READ_ONLY_ACCESS_POLICY_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/** ECR actions of an image push, on the repositories (GetAuthorizationToken is on `*`). */
const ECR_PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
] as const;

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const REF_PATTERN = /^[A-Za-z0-9._/*-]{1,255}$/;
const ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;

export interface GithubDeployRoleProps {
  /**
   * Name of the role (1-64 letters, digits and `+=,.@_-`). Fixed, not a prefix: the workflow
   * names the role (`role-to-assume`) from outside Terraform, so its ARN must not change. Only a
   * new name replaces the role.
   */
  readonly roleName: string;
  /**
   * The GitHub repository allowed to assume the role, `owner/name`, exactly as GitHub spells it
   * (the token's `sub` claim is compared case-sensitively). No wildcards.
   */
  readonly repository: string;
  /**
   * Branches whose workflow runs may assume the role (`sub` = `repo:<repo>:ref:refs/heads/<branch>`);
   * `*` matches within this repository only (`release/*`). A job that names a GitHub environment
   * gets `environment:<name>` in its token instead of the ref: list it under `environments`.
   * @default ["main"]
   */
  readonly branches?: readonly string[];
  /**
   * Git tags whose runs may assume the role (`ref:refs/tags/<tag>`, `*` allowed, e.g. `v*`).
   * @default []
   */
  readonly tags?: readonly string[];
  /**
   * GitHub environments whose jobs may assume the role (`environment:<name>`). With required
   * reviewers on the environment, a deploy waits for an approval.
   * @default []
   */
  readonly environments?: readonly string[];
  /**
   * Pull request runs may assume the role (`pull_request`), e.g. to plan. GitHub gives no OIDC
   * token to runs from forks, so only branches of the repository itself get one.
   * @default false
   */
  readonly pullRequests?: boolean;
  /**
   * ARN of the account's existing GitHub OIDC provider. IAM holds one provider per URL per
   * account: the first stack creates it (leave this unset there), every other stack of the
   * account names it (`githubOidcProviderArn(accountId)`); creating a second one fails with
   * `EntityAlreadyExists`. Destroying the stack that created it breaks the others' roles.
   * @default - the provider is created here
   */
  readonly oidcProviderArn?: string;
  /**
   * Longest session the role gives, in seconds (3600-43200); the workflow asks for at most this
   * (`role-duration-seconds`).
   * @default 3600
   */
  readonly maxSessionDurationSec?: number;
  /**
   * Attach the AWS managed `ReadOnlyAccess` policy. `terraform plan` refreshes every resource of
   * the stack, which reads configuration across a dozen services (EC2, ECS, ELB, IAM, KMS key
   * policies, S3 bucket settings, CloudWatch, Route 53, ...); listing those actions by hand would
   * break with every new resource type, so the role reads like an auditor does. It can also read
   * data (S3 objects, DynamoDB items) but not secret values (`secretsmanager:GetSecretValue` is
   * excluded; grant it if the stack manages secret versions). Off: grant what plan needs yourself.
   * @default true
   */
  readonly readOnlyAccess?: boolean;
  /** @default - none */
  readonly description?: string;
}

/** Options of `grantEcsDeploy`. */
export interface EcsDeployGrant {
  /** The cluster of the services. */
  readonly cluster: { readonly clusterName: string };
  /** Services the role may update (new task definition, desired count). */
  readonly services: readonly { readonly serviceName: string; readonly taskDefinition?: { readonly family: string } }[];
  /**
   * Task and execution roles the new task definitions name (`iam:PassRole`, only to
   * `ecs-tasks.amazonaws.com`).
   */
  readonly passRoles: readonly (string | { readonly roleArn: string })[];
  /**
   * Task definitions that are not a service's (on-demand tasks) whose new revisions the role
   * registers.
   * @default []
   */
  readonly taskDefinitions?: readonly { readonly family: string }[];
}

/**
 * The IAM role a GitHub Actions workflow assumes with OpenID Connect (no stored AWS keys): trust
 * limited to the `sts.amazonaws.com` audience and to `sub` claims of one repository's branches,
 * tags, environments and (optionally) pull requests, with `StringLike` on exact patterns. The
 * account's GitHub OIDC provider is created here or named by ARN (one per account). Permissions
 * come from the `grantXxx` methods: push images to given repositories, read and write one stack's
 * Terraform state, deploy new task definitions to given ECS services; `ReadOnlyAccess` lets it
 * plan. Anything else a plan would change needs an administrator's apply.
 */
export class GithubDeployRole extends Construct implements IGrantable {
  /** The role resource. */
  public readonly resource: IamRole;
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The OIDC provider, when created here. */
  public readonly oidcProvider?: IamOpenidConnectProvider;
  public readonly oidcProviderArn: string;
  /** The `sub` patterns the trust policy accepts. */
  public readonly subjects: readonly string[];
  private readonly statements: PolicyStatement[] = [];
  private policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    const branches = props.branches ?? ['main'];
    const tags = props.tags ?? [];
    const environments = props.environments ?? [];
    const maxSession = props.maxSessionDurationSec ?? 3600;
    const v = new PropsValidator(this)
      .matches('roleName', props.roleName, /^[A-Za-z0-9+=,.@_-]{1,64}$/, 'an IAM role name (1-64 letters, digits and +=,.@_-)')
      .check(REPOSITORY.test(props.repository), 'repository', props.repository, `is not a GitHub repository "owner/name"${/[*?]/.test(props.repository) ? ' (wildcards would let other repositories assume the role)' : ''}`)
      .check(Number.isInteger(maxSession), 'maxSessionDurationSec', maxSession, 'is not a whole number of seconds')
      .range('maxSessionDurationSec', maxSession, 3600, 43200, 'seconds')
      .check(branches.length + tags.length + environments.length > 0 || props.pullRequests === true, 'branches', branches, 'and tags, environments and pullRequests are all empty; nothing could assume the role');
    branches.forEach((b, i) => v.check(REF_PATTERN.test(b) && !b.startsWith('refs/'), `branches[${i}]`, b, 'is not a branch name or pattern (letters, digits, ".", "_", "/", "-", "*"; without "refs/heads/")'));
    tags.forEach((t, i) => v.check(REF_PATTERN.test(t) && !t.startsWith('refs/'), `tags[${i}]`, t, 'is not a tag name or pattern (letters, digits, ".", "_", "/", "-", "*"; without "refs/tags/")'));
    environments.forEach((e, i) => v.check(ENVIRONMENT.test(e), `environments[${i}]`, e, 'is not a GitHub environment name (letters, digits, ".", "_", "-"; no wildcards)'));
    if (props.oidcProviderArn !== undefined) {
      v.check(Token.isUnresolved(props.oidcProviderArn) || (isArn(props.oidcProviderArn, 'iam') && props.oidcProviderArn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)), 'oidcProviderArn', props.oidcProviderArn, `is not the ARN of a GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/${GITHUB_OIDC_HOST})`);
    }
    v.throwIfInvalid();

    if (props.oidcProviderArn === undefined) {
      // No thumbprint: since July 2023 AWS verifies GitHub's OIDC endpoint against its own trusted
      // certificate authorities, and provider 5.x makes `thumbprint_list` optional.
      this.oidcProvider = new IamOpenidConnectProvider(this, 'github-oidc', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [GITHUB_OIDC_AUDIENCE],
        tags: nameTags(GITHUB_OIDC_HOST),
      });
      this.oidcProviderArn = this.oidcProvider.arn;
    } else {
      this.oidcProviderArn = props.oidcProviderArn;
    }

    const repo = `repo:${props.repository}`;
    this.subjects = [
      ...branches.map((b) => `${repo}:ref:refs/heads/${b}`),
      ...tags.map((t) => `${repo}:ref:refs/tags/${t}`),
      ...environments.map((e) => `${repo}:environment:${e}`),
      ...(props.pullRequests ? [`${repo}:pull_request`] : []),
    ];
    this.roleName = props.roleName;
    this.resource = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description ?? `GitHub Actions deployments from ${props.repository}`,
      maxSessionDuration: maxSession,
      assumeRolePolicy: policyDocument([
        {
          Sid: 'GithubActions',
          Effect: 'Allow',
          Principal: { Federated: this.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE },
            StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: [...this.subjects] },
          },
        },
      ]),
      tags: nameTags(props.roleName),
    });
    this.roleArn = this.resource.arn;
    if (props.readOnlyAccess ?? true) new IamRolePolicyAttachment(this, 'read-only', { role: this.resource.name, policyArn: READ_ONLY_ACCESS_POLICY_ARN });
  }

  /** Adds a statement to the role's inline policy (identical statements once). */
  public addToPolicy(statement: PolicyStatement): void {
    const key = JSON.stringify(statement);
    if (this.statements.some((s) => JSON.stringify(s) === key)) return;
    this.statements.push(statement);
    this.policy ??= new IamRolePolicy(this, 'policy', {
      name: 'deploy',
      role: this.resource.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }

  /** The statements of the inline policy so far. */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.statements;
  }

  /**
   * Lets the role push images to `repositories`: `ecr:GetAuthorizationToken` (which has no
   * resource) on `*`, and the layer upload, `PutImage`, `BatchGetImage` (the manifest check of a
   * push) and `DescribeImages` (is this tag there already?) on the repositories only.
   */
  public grantEcrPush(repositories: readonly { readonly repositoryArn: string }[]): void {
    new PropsValidator(this).check(repositories.length > 0, 'grantEcrPush', repositories, 'is empty; give the repositories the workflow pushes to').throwIfInvalid();
    this.addToPolicy({ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
    this.addToPolicy({ Sid: 'EcrPush', Effect: 'Allow', Action: [...ECR_PUSH_ACTIONS], Resource: repositories.map((r) => r.repositoryArn) });
    for (const r of repositories) Relations.grantOn(this, r.repositoryArn, this, 'push');
  }

  /**
   * Lets the role plan and apply one stack's Terraform state in the S3 backend `config` describes
   * (`key` below its `keyPrefix`, as the stack's `stateKey`): read and write the state object;
   * with S3-native locking, create, read and delete its `<key>.tflock`; with a DynamoDB lock
   * table, its items; with a KMS key, encrypt and decrypt. `s3:ListBucket` only for the state
   * key and the workspace prefix `env:/` (`terraform init` lists workspaces). The state must exist
   * (the first apply is an administrator's): S3 answers 403, not 404, for a missing object to a
   * caller without an unconditional `ListBucket`.
   */
  public grantStateAccess(config: RemoteStateConfig, key: string): void {
    const objectKey = stateKey(config, key);
    const bucketArn = `arn:aws:s3:::${config.bucket}`;
    const lockfile = config.useLockfile ?? config.dynamodbTable === undefined;
    this.addToPolicy({ Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringEquals: { 's3:prefix': [objectKey, 'env:/'] } } });
    this.addToPolicy({ Sid: 'StateObject', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn}/${objectKey}` });
    if (lockfile) this.addToPolicy({ Sid: 'StateLockFile', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${bucketArn}/${objectKey}.tflock` });
    if (config.dynamodbTable) {
      const account = AwsStack.of(this).accountId;
      this.addToPolicy({
        Sid: 'StateLockTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: `arn:aws:dynamodb:${config.region}:${account}:table/${config.dynamodbTable}`,
      });
    }
    if (config.kmsKeyArn) this.addToPolicy({ Sid: 'StateKey', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: config.kmsKeyArn });
  }

  /**
   * Lets the role deploy new images to ECS services the way Terraform does it: register the new
   * task definition revision (and tag it: ECS authorizes tags on create through `ecs:TagResource`,
   * limited here to `RegisterTaskDefinition` of these families), deregister the old one, update
   * the services, pass the task and execution roles only to ECS tasks, and register the services'
   * scalable targets (their capacity range). Register, deregister and describe of task definitions
   * have no resource in IAM (`*`); Application Auto Scaling names a scalable target by a random
   * id, so registration covers this account's and region's scalable targets.
   */
  public grantEcsDeploy(grant: EcsDeployGrant): void {
    const passRoles = grant.passRoles.map((r) => (typeof r === 'string' ? r : r.roleArn));
    new PropsValidator(this)
      .check(grant.services.length > 0, 'grantEcsDeploy.services', grant.services, 'is empty; give the services the workflow deploys')
      .check(passRoles.length > 0, 'grantEcsDeploy.passRoles', passRoles, 'is empty; give the task and execution roles of the task definitions')
      .throwIfInvalid();
    const stack = AwsStack.of(this);
    const prefix = `arn:aws:ecs:${stack.region}:${stack.accountId}`;
    const families = [...grant.services.map((s) => s.taskDefinition?.family), ...(grant.taskDefinitions ?? []).map((t) => t.family)].filter((f): f is string => f !== undefined);
    this.addToPolicy({ Sid: 'EcsTaskDefinitions', Effect: 'Allow', Action: ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'], Resource: '*' });
    this.addToPolicy({
      Sid: 'EcsTagTaskDefinitions',
      Effect: 'Allow',
      Action: 'ecs:TagResource',
      Resource: families.length > 0 ? families.map((f) => `${prefix}:task-definition/${f}:*`) : `${prefix}:task-definition/*`,
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    });
    this.addToPolicy({
      Sid: 'EcsServices',
      Effect: 'Allow',
      Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
      Resource: grant.services.map((s) => `${prefix}:service/${grant.cluster.clusterName}/${s.serviceName}`),
    });
    this.addToPolicy({ Sid: 'EcsCluster', Effect: 'Allow', Action: 'ecs:DescribeClusters', Resource: `${prefix}:cluster/${grant.cluster.clusterName}` });
    this.addToPolicy({ Sid: 'PassTaskRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: passRoles, Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } });
    this.addToPolicy({
      Sid: 'ScalableTargets',
      Effect: 'Allow',
      Action: 'application-autoscaling:RegisterScalableTarget',
      Resource: `arn:aws:application-autoscaling:${stack.region}:${stack.accountId}:scalable-target/*`,
    });
    this.addToPolicy({ Sid: 'DescribeScaling', Effect: 'Allow', Action: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:DescribeScheduledActions'], Resource: '*' });
  }
}
