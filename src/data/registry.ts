import { Construct } from 'constructs';
import { EcrRepository as EcrRepositoryResource } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { IGrantable } from '../core/iam';
import { jsonencode } from '../core/json';
import { nameTags } from '../core/tags';
import { PropsValidator, REPOSITORY_PATTERN } from '../core/validation';
import { Relations } from '../core/relations';

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
   * KMS key; `undefined` uses AES256.
   * @default - AES256
   */
  readonly kmsKeyArn?: string;
  /**
   * Let `terraform destroy` delete a repository that still holds images.
   * @default false
   */
  readonly forceDelete?: boolean;
}

/** An ECR repository scanned on push, encrypted, with a lifecycle policy. */
export class EcrRepository extends Construct {
  public readonly repository: EcrRepositoryResource;
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

    this.repository = new EcrRepositoryResource(this, 'this', {
      name: props.repositoryName,
      imageTagMutability: props.imageTagMutability ?? 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: props.scanOnPush ?? true },
      encryptionConfiguration: [props.kmsKeyArn ? { encryptionType: 'KMS', kmsKey: props.kmsKeyArn } : { encryptionType: 'AES256' }],
      forceDelete: props.forceDelete ?? false,
      tags: nameTags(props.repositoryName),
    });
    this.repositoryName = this.repository.name;
    this.repositoryArn = this.repository.arn;
    this.repositoryUrl = this.repository.repositoryUrl;

    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
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
    Relations.grant(this.repository, grantee, 'pull');
    grantee.addToPolicy({ Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: this.repositoryArn });
    grantee.addToPolicy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' });
  }
}

/** What a service needs of a repository, whether created here or looked up. */
export interface RepositoryReference {
  /** Repository name. */
  readonly repositoryName: string;
  /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUrl: string;
  /** Repository ARN. */
  readonly repositoryArn: string;
}

export interface RepositoryForProps extends EcrRepositoryProps {
  /**
   * Create the repository; false looks up an existing one by name at plan time (it must exist,
   * e.g. created by another environment's stack in the same account).
   * @default true
   */
  readonly create?: boolean;
}

/** Creates an ECR repository, or brings an existing one (`create: false`). */
export function repositoryFor(scope: Construct, id: string, props: RepositoryForProps): RepositoryReference {
  if (props.create ?? true) return new EcrRepository(scope, id, props);
  const existing = new DataAwsEcrRepository(scope, id, { name: props.repositoryName });
  return { repositoryName: existing.name, repositoryUrl: existing.repositoryUrl, repositoryArn: existing.arn };
}
