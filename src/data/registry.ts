import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { AwsStack } from '../core/aws-stack';
import { IGrantable } from '../core/iam';
import { jsonencode } from '../core/json';
import { nameTags } from '../core/tags';
import { PropsValidator, REPOSITORY_PATTERN } from '../core/validation';
import { Relations } from '../core/relations';
import { EncryptionKey } from '../security/kms';

export interface EcrRepositoryProps {
  /** Repository name, e.g. `artwork-matcher/gateway`. */
  readonly repositoryName: string;
  /**
   * Scan images for vulnerabilities on push.
   * @default true
   */
  readonly scanOnPush?: boolean;
  /**
   * `IMMUTABLE` tags cannot be pushed twice; deployments that push `:latest` need `MUTABLE`.
   * @default "IMMUTABLE"
   */
  readonly imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
  /**
   * Images kept (newest first); older ones expire.
   * @default 30
   */
  readonly keepImages?: number;
  /**
   * Days after which untagged images expire.
   * @default 7
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Customer managed key of the images (KMS encryption).
   * @default - AES256 (Amazon S3 managed keys)
   */
  readonly kmsKey?: EncryptionKey;
  /**
   * Let `terraform destroy` delete a repository that still holds images.
   * @default false
   */
  readonly forceDelete?: boolean;
}

/** What a service or a deploy role needs of a repository: one made by `EcrRepository`, or one that exists (`EcrRepository.fromRepositoryName`). */
export interface IRepository {
  /** Repository name. */
  readonly repositoryName: string;
  /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUrl: string;
  /** Repository ARN. */
  readonly repositoryArn: string;
}

/** An ECR repository scanned on push, encrypted, with a lifecycle policy. */
export class EcrRepository extends Construct implements IRepository {
  /**
   * A repository made elsewhere in the stack's account and region (e.g. by another environment's
   * stack), by its name: nothing is created or looked up; its URL and ARN are the account's and
   * region's (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). The repository must exist
   * before a task pulls from it.
   */
  public static fromRepositoryName(scope: Construct, id: string, repositoryName: string): IRepository {
    return new ImportedRepository(scope, id, repositoryName);
  }

  /** The repository resource. */
  public readonly resource: EcrRepositoryResource;
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const keep = props.keepImages ?? 30;
    const untagged = props.untaggedExpiryDays ?? 7;
    new PropsValidator(this)
      .matches('repositoryName', props.repositoryName, REPOSITORY_PATTERN, 'an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)')
      .range('keepImages', keep, 1, 10000)
      .range('untaggedExpiryDays', untagged, 1, 3650)
      .throwIfInvalid();

    const key = props.kmsKey ?? EncryptionKey.stackDefault(this, 'repositories');
    this.resource = new EcrRepositoryResource(this, 'this', {
      name: props.repositoryName,
      imageTagMutability: props.imageTagMutability ?? 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [key ? { encryptionType: 'KMS', kmsKey: key.keyArn } : { encryptionType: 'AES256' }],
      forceDelete: props.forceDelete ?? false,
      tags: nameTags(props.repositoryName),
    });
    this.repositoryName = this.resource.name;
    this.repositoryArn = this.resource.arn;
    this.repositoryUrl = this.resource.repositoryUrl;

    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.resource.name,
      policy: jsonencode({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${untagged} days`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untagged },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${keep} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keep },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }

  /** Lets `grantee` pull images (the execution role's managed policy already can, for any repository). */
  public grantPull(grantee: IGrantable): void {
    Relations.grant(this.resource, grantee, 'pull');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: this.repositoryArn });
    grantee.addToPolicy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
  }
}

/** A repository made elsewhere, as `EcrRepository.fromRepositoryName` describes it: no resource. */
class ImportedRepository extends Construct implements IRepository {
  public readonly repositoryName: string;
  public readonly repositoryUrl: string;
  public readonly repositoryArn: string;

  constructor(scope: Construct, id: string, repositoryName: string) {
    super(scope, id);
    new PropsValidator(this)
      .check(Token.isUnresolved(repositoryName) || REPOSITORY_PATTERN.test(repositoryName), 'repositoryName', repositoryName, 'is not an ECR repository name (lowercase letters, digits, ".", "_", "-" and "/" separated parts)')
      .throwIfInvalid();
    const stack = AwsStack.of(this);
    this.repositoryName = repositoryName;
    this.repositoryUrl = `${stack.accountId}.dkr.ecr.${stack.region}.amazonaws.com/${repositoryName}`;
    this.repositoryArn = `arn:aws:ecr:${stack.region}:${stack.accountId}:repository/${repositoryName}`;
  }
}
