import { AwsStack } from '../../../src/core/aws-stack';
import { GithubDeployRole, GithubDeployRoleProps } from '../../../src/security/cicd';
import { githubOidcProviderArn } from '../../../src/security/github-oidc';
import { ServiceRole } from '../../../src/security/iam';
import { EcrRepository } from '../../../src/data/registry';
import { allOf, countOf, errorOf, onlyOf, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

function build(props: Partial<GithubDeployRoleProps> = {}, grant?: (role: GithubDeployRole, stack: AwsStack) => void) {
  return synthConstructs((stack) => {
    const role = new GithubDeployRole(stack, 'deploy', { roleName: 'artwork-matcher-production-deploy', repository: 'acme/artwork-matcher', ...props });
    grant?.(role, stack);
  }).json;
}

describe('GithubDeployRole', () => {
  it('creates the account\'s GitHub OIDC provider for the sts.amazonaws.com audience, without a thumbprint', () => {
    const json = build();
    expect(onlyOf(json, 'aws_iam_openid_connect_provider')).toEqual({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'], tags: { Name: 'token.actions.githubusercontent.com' } });
  });

  it('trusts only the audience and the repository\'s main branch by default, with a fixed role name and a one-hour session', () => {
    const json = build();
    const [providerId] = resourcesOf(json, 'aws_iam_openid_connect_provider')[0];
    const role = onlyOf(json, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'artwork-matcher-production-deploy', max_session_duration: 3600 });
    expect(role.name_prefix).toBeUndefined();
    expect(statementsOf(role, 'assume_role_policy')).toEqual([
      {
        Sid: 'GithubActions',
        Effect: 'Allow',
        Principal: { Federated: `\${aws_iam_openid_connect_provider.${providerId}.arn}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/artwork-matcher:ref:refs/heads/main'] },
        },
      },
    ]);
    expect(onlyOf(json, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });

  it('uses an existing provider, and trusts branches, tags, environments and pull requests of that repository only', () => {
    const json = build({ oidcProviderArn: githubOidcProviderArn('123456789012'), branches: ['main', 'release/*'], tags: ['v*'], environments: ['production'], pullRequests: true, maxSessionDurationSec: 7200, readOnlyAccess: false });
    expect(countOf(json, 'aws_iam_openid_connect_provider')).toBe(0);
    expect(countOf(json, 'aws_iam_role_policy_attachment')).toBe(0);
    const [trust] = statementsOf(onlyOf(json, 'aws_iam_role'), 'assume_role_policy');
    expect(trust.Principal).toEqual({ Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    expect(trust.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:acme/artwork-matcher:ref:refs/heads/main',
      'repo:acme/artwork-matcher:ref:refs/heads/release/*',
      'repo:acme/artwork-matcher:ref:refs/tags/v*',
      'repo:acme/artwork-matcher:environment:production',
      'repo:acme/artwork-matcher:pull_request',
    ]);
    expect(onlyOf(json, 'aws_iam_role').max_session_duration).toBe(7200);
  });

  it('refuses wildcards that would let other repositories in, and trust nobody could use', () => {
    expect(errorOf(() => build({ repository: 'acme/*' }))).toBe('test/deploy: repository: "acme/*" is not a GitHub repository "owner/name" (wildcards would let other repositories assume the role)');
    expect(errorOf(() => build({ repository: '*' }))).toMatch(/wildcards would let other repositories assume the role/);
    const message = errorOf(() => build({ roleName: 'a'.repeat(65), branches: ['refs/heads/main'], environments: ['prod*'], oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/accounts.google.com', maxSessionDurationSec: 60 }));
    expect(message.split('\n')).toEqual([
      'test/deploy: invalid props:',
      expect.stringMatching(/^ {2}roleName: "a+" is not an IAM role name/),
      '  maxSessionDurationSec: 60 is out of range; allowed: 3600 to 43200 seconds',
      '  branches[0]: "refs/heads/main" is not a branch name or pattern (letters, digits, ".", "_", "/", "-", "*"; without "refs/heads/")',
      '  environments[0]: "prod*" is not a GitHub environment name (letters, digits, ".", "_", "-"; no wildcards)',
      '  oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/accounts.google.com" is not the ARN of a GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)',
    ]);
    expect(errorOf(() => build({ branches: [] }))).toBe('test/deploy: branches: [] and tags, environments and pullRequests are all empty; nothing could assume the role');
  });

  describe('permissions', () => {
    const json = build({}, (role, stack) => {
      const repos = ['gateway', 'search'].map((s) => new EcrRepository(stack, s, { repositoryName: `artwork-matcher-production/${s}` }));
      const task = new ServiceRole(stack, 'task', { name: 'am-task', assumedBy: 'ecs-tasks.amazonaws.com' });
      role.grantEcrPush(repos);
      role.grantStateAccess({ bucket: 'tf-state-123456789012-eu-west-1', region: 'eu-west-1', keyPrefix: 'artwork-matcher', dynamodbTable: 'terraform-state-lock', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }, 'environments/production/terraform.tfstate');
      role.grantEcsDeploy({ cluster: { clusterName: 'artwork-matcher-production' }, services: [{ serviceName: 'gateway', taskDefinition: { family: 'artwork-matcher-production-gateway' } }], passRoles: [task, 'arn:aws:iam::123456789012:role/am-execution'], taskDefinitions: [{ family: 'artwork-matcher-production-indexer' }] });
    });
    const statements = statementsOf(onlyOf(json, 'aws_iam_role_policy'));
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    const [roleId] = resourcesOf(json, 'aws_iam_role').find(([, r]) => r.name === 'artwork-matcher-production-deploy')!;
    const repoArns = resourcesOf(json, 'aws_ecr_repository').map(([id]) => `\${aws_ecr_repository.${id}.arn}`);
    const state = 'arn:aws:s3:::tf-state-123456789012-eu-west-1';
    const key = 'artwork-matcher/environments/production/terraform.tfstate';

    it('is one inline policy on the role', () => {
      expect(allOf(json, 'aws_iam_role_policy').filter((p) => p.role === `\${aws_iam_role.${roleId}.id}`)).toHaveLength(1);
    });

    it('pushes images: the login token on *, the push actions on the repositories only', () => {
      expect(bySid('EcrLogin')).toEqual({ Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      expect(bySid('EcrPush')).toEqual({
        Sid: 'EcrPush',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:DescribeImages'],
        Resource: repoArns,
      });
    });

    it('reads and writes only this stack\'s state object, its lock item and key', () => {
      expect(bySid('StateList')).toEqual({ Sid: 'StateList', Effect: 'Allow', Action: 's3:ListBucket', Resource: state, Condition: { StringEquals: { 's3:prefix': [key, 'env:/'] } } });
      expect(bySid('StateObject')).toEqual({ Sid: 'StateObject', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${state}/${key}` });
      expect(bySid('StateLockFile')).toBeUndefined(); // a DynamoDB table locks
      expect(bySid('StateLockTable')).toEqual({
        Sid: 'StateLockTable',
        Effect: 'Allow',
        Action: ['dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: 'arn:aws:dynamodb:eu-west-1:123456789012:table/terraform-state-lock',
      });
      expect(bySid('StateKey')?.Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey']);
    });

    it('locks with the state\'s .tflock object under S3-native locking', () => {
      const native = build({}, (role) => role.grantStateAccess({ bucket: 'tf-state', region: 'eu-west-1' }, 'app/terraform.tfstate'));
      const st = statementsOf(onlyOf(native, 'aws_iam_role_policy'));
      expect(st.find((s) => s.Sid === 'StateLockFile')).toEqual({ Sid: 'StateLockFile', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::tf-state/app/terraform.tfstate.tflock' });
      expect(st.some((s) => s.Sid === 'StateLockTable' || s.Sid === 'StateKey')).toBe(false);
    });

    it('deploys task definitions to the named services and passes the task roles only to ECS tasks', () => {
      const ecs = 'arn:aws:ecs:eu-west-1:123456789012';
      expect(bySid('EcsTaskDefinitions')).toEqual({ Sid: 'EcsTaskDefinitions', Effect: 'Allow', Action: ['ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'], Resource: '*' });
      expect(bySid('EcsTagTaskDefinitions')).toEqual({
        Sid: 'EcsTagTaskDefinitions',
        Effect: 'Allow',
        Action: 'ecs:TagResource',
        Resource: [`${ecs}:task-definition/artwork-matcher-production-gateway:*`, `${ecs}:task-definition/artwork-matcher-production-indexer:*`],
        Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      });
      expect(bySid('EcsServices')).toEqual({ Sid: 'EcsServices', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: [`${ecs}:service/artwork-matcher-production/gateway`] });
      const [taskRoleId] = resourcesOf(json, 'aws_iam_role').find(([, r]) => r.name_prefix === 'am-task-')!;
      expect(bySid('PassTaskRoles')).toEqual({
        Sid: 'PassTaskRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [`\${aws_iam_role.${taskRoleId}.arn}`, 'arn:aws:iam::123456789012:role/am-execution'],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      });
      expect(bySid('ScalableTargets')?.Resource).toBe('arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/*');
    });

    it('grants nothing else: no wildcard action, and * only where IAM has no resource', () => {
      for (const s of statements) {
        const actions = [s.Action].flat() as string[];
        expect(actions.every((a) => !a.endsWith(':*') && a !== '*')).toBe(true);
        if (s.Resource === '*') expect(actions.every((a) => /^(ecr:GetAuthorizationToken|ecs:(Register|Deregister|Describe)TaskDefinition|application-autoscaling:Describe\w+)$/.test(a))).toBe(true);
      }
    });
  });
});
