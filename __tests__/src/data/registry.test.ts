import { TerraformStack } from 'cdktf';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { policyDocument, PolicyStatement } from '../../../src/core/iam';
import { EcrRepository, EcrRepositoryProps } from '../../../src/data/registry';
import { EncryptionKey } from '../../../src/security/kms';
import { errorOf, onlyOf, parseField, resourcesOf, statementsOf, synthConstructs } from '../../helpers/synth';

function synthRepo(props: Partial<EcrRepositoryProps> = {}) {
  return synthConstructs((stack) => new EcrRepository(stack, 'repo', { repositoryName: 'demo/gateway', ...props }));
}

describe('EcrRepository', () => {
  it('is scanned on push, immutable, AES256-encrypted and kept on destroy by default', () => {
    const { text, json } = synthRepo();
    expect(text).toHaveResourceWithProperties(EcrRepositoryResource, {
      name: 'demo/gateway',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'AES256' }],
      force_delete: false,
      tags: { Name: 'demo/gateway' },
    });
    const [[repoKey]] = resourcesOf(json, 'aws_ecr_repository');
    expect(text).toHaveResourceWithProperties(EcrLifecyclePolicy, { repository: `\${aws_ecr_repository.${repoKey}.name}` });
  });

  it('expires untagged images after 7 days and keeps the newest 30, with the catch-all rule last', () => {
    const { json } = synthRepo();
    const policy = parseField<{ rules: any[] }>(onlyOf(json, 'aws_ecr_lifecycle_policy'), 'policy');
    expect(policy.rules).toEqual([
      {
        rulePriority: 1,
        description: 'Expire untagged images after 7 days',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Keep the newest 30 images',
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
        action: { type: 'expire' },
      },
    ]);
    // ECR requires a tagStatus "any" rule to have the highest priority number.
    const any = policy.rules.find((r) => r.selection.tagStatus === 'any');
    expect(any.rulePriority).toBe(Math.max(...policy.rules.map((r) => r.rulePriority)));
  });

  it('takes scanning, mutability, a KMS key, force delete and the lifecycle counts from its props', () => {
    let repository!: EcrRepository;
    const { json } = synthConstructs((stack) => {
      const kmsKey = new EncryptionKey(stack, 'key', { alias: 'demo-images', description: 'images' });
      repository = new EcrRepository(stack, 'repo', { repositoryName: 'demo/gateway', scanOnPush: false, imageTagMutability: 'MUTABLE', kmsKey, forceDelete: true, keepImages: 5, untaggedExpiryDays: 1 });
    });
    expect(repository.resource).toBeInstanceOf(EcrRepositoryResource);
    const [[keyId]] = resourcesOf(json, 'aws_kms_key');
    const repo = onlyOf(json, 'aws_ecr_repository');
    expect(repo).toMatchObject({
      image_tag_mutability: 'MUTABLE',
      image_scanning_configuration: { scan_on_push: false },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: `\${aws_kms_key.${keyId}.arn}` }],
      force_delete: true,
    });
    const rules = parseField<{ rules: any[] }>(onlyOf(json, 'aws_ecr_lifecycle_policy'), 'policy').rules;
    expect(rules.map((r) => [r.selection.countNumber, r.description])).toEqual([
      [1, 'Expire untagged images after 1 days'],
      [5, 'Keep the newest 5 images'],
    ]);
  });

  it('grants pulling this repository, and an ECR login token for any', () => {
    const statements: PolicyStatement[] = [];
    const { json } = synthConstructs((stack: TerraformStack) => {
      const repo = new EcrRepository(stack, 'repo', { repositoryName: 'demo/gateway' });
      repo.grantPull({ addToPolicy: (st) => statements.push(st) });
      new IamPolicy(stack, 'pull', { name: 'pull', policy: policyDocument(statements) });
    });
    const [[repoKey]] = resourcesOf(json, 'aws_ecr_repository');
    expect(statementsOf(onlyOf(json, 'aws_iam_policy'))).toEqual([
      { Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: `\${aws_ecr_repository.${repoKey}.arn}` },
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ]);
  });

  it('exposes the repository name, ARN and URL as references', () => {
    let repo!: EcrRepository;
    const { json } = synthConstructs((stack) => {
      repo = new EcrRepository(stack, 'repo', { repositoryName: 'demo/gateway' });
      new IamPolicy(stack, 'refs', { name: 'refs', description: `${repo.repositoryName} ${repo.repositoryArn} ${repo.repositoryUrl}`, policy: '{}' });
    });
    const [[repoKey]] = resourcesOf(json, 'aws_ecr_repository');
    expect(onlyOf(json, 'aws_iam_policy').description).toBe(
      `\${aws_ecr_repository.${repoKey}.name} \${aws_ecr_repository.${repoKey}.arn} \${aws_ecr_repository.${repoKey}.repository_url}`,
    );
  });

  describe('fromRepositoryName', () => {
    it('describes a repository made elsewhere in the account and region: its name, URL and ARN, with nothing created or looked up', () => {
      let repository!: ReturnType<typeof EcrRepository.fromRepositoryName>;
      const { json } = synthConstructs((stack) => {
        repository = EcrRepository.fromRepositoryName(stack, 'shared', 'demo/gateway');
      });
      expect(json.resource).toBeUndefined();
      expect(json.data).toBeUndefined();
      expect(repository).toEqual(
        expect.objectContaining({
          repositoryName: 'demo/gateway',
          repositoryUrl: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo/gateway',
          repositoryArn: 'arn:aws:ecr:eu-west-1:123456789012:repository/demo/gateway',
        }),
      );
    });

    it('rejects a name that is not an ECR repository name', () => {
      expect(errorOf(() => synthConstructs((stack) => EcrRepository.fromRepositoryName(stack, 'shared', 'Demo/Gateway')))).toBe(
        'test/shared: repositoryName: "Demo/Gateway" is not an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)',
      );
    });
  });

  describe('validation', () => {
    it.each(['ab', 'demo/gateway', 'team/app.v2/worker_1', 'a-b_c.d'])('accepts the repository name %p', (repositoryName) => {
      expect(() => synthRepo({ repositoryName })).not.toThrow();
    });

    it.each(['a', 'Demo/gateway', 'demo//gateway', '/demo', 'demo/', 'demo-', '-demo', 'demo..x', 'demo gateway'])(
      'rejects the repository name %p',
      (repositoryName) => {
        expect(errorOf(() => synthRepo({ repositoryName }))).toBe(
          `test/repo: repositoryName: ${JSON.stringify(repositoryName)} is not an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)`,
        );
      },
    );

    it('allows at most 256 characters', () => {
      expect(() => synthRepo({ repositoryName: `team/${'x'.repeat(251)}` })).not.toThrow();
      const tooLong = `team/${'x'.repeat(252)}`;
      expect(errorOf(() => synthRepo({ repositoryName: tooLong }))).toBe(
        `test/repo: repositoryName: "${tooLong.slice(0, 77)}..." is not an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)`,
      );
    });

    it('lists every problem together', () => {
      expect(errorOf(() => synthRepo({ repositoryName: 'Demo', keepImages: 0, untaggedExpiryDays: 3651 }))).toBe(
        [
          'test/repo: invalid props:',
          '  repositoryName: "Demo" is not an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)',
          '  keepImages: 0 is out of range; allowed: 1 to 10000',
          '  untaggedExpiryDays: 3651 is out of range; allowed: 1 to 3650',
        ].join('\n'),
      );
    });
  });
});
