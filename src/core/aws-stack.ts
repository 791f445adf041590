/**
 * The ground floor of the construct library (src/core): the stack base every construct reads its
 * account and region from, and, here, the conventions every construct of the library follows.
 *
 * - The main provider resource of a construct is its `resource` property: `bucket.resource`,
 *   `table.resource`, `service.resource`, `vpc.resource` (the escape hatch for overrides,
 *   `importFrom`, `moveFromId` and `dependsOn`). One name, because the construct's class already
 *   says what the resource is (a `Queue`'s `queue` only repeated it), because a caller reaches the
 *   resource of any construct the same way, and because it is what cdktf calls it
 *   (`TerraformResource`). Secondary resources keep descriptive names (`deadLetterQueue`,
 *   `jobQueue`, `httpListener`, `aaaa`), attributes keep theirs (`bucketName`, `tableArn`), and a
 *   construct made of other constructs only (`AccessLogBucket`, `StateStore`, `Monitoring`,
 *   `TaskRoles`, `AccountBaseline`) names those instead.
 * - The region is the stack's (`AwsStack.of(this).region`), never a prop.
 * - Props take constructs, or their interfaces (`IVpc`, `IEcsCluster`, `ITopic`, `IRepository`,
 *   `ISecret`), not the ids and ARNs of what the library builds. Strings remain for values the
 *   user brings from outside the stack (a certificate or KMS key ARN from the settings) and for
 *   security-group rule peers.
 * - What was made elsewhere comes in through a static `fromXxx` of the construct's class
 *   (`Vpc.fromAttributes`, `Topic.fromTopicArn`, `EcrRepository.fromRepositoryName`,
 *   `SecretValue.fromSecretArn`, `AccessLogBucket.fromBucketName`): it describes the resource,
 *   creates none, and is accepted wherever the construct is.
 */
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { App, TerraformElement, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { RemoteStateConfig, localBackend, s3Backend } from './backend';
import { PropsValidator, REGION_PATTERN } from './validation';
import { acceptancesIn, closuresIn, suppressionsIn } from './suppressions';

export interface AwsStackProps {
  /** AWS region every resource of the stack lives in. */
  readonly region: string;
  /** `Project` default tag. */
  readonly project: string;
  /** `Environment` default tag. */
  readonly environment: string;
  /**
   * `ManagedBy` default tag.
   * @default "terraform"
   */
  readonly managedBy?: string;
  /**
   * More default tags for every resource (cannot replace Project/Environment/ManagedBy).
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Remote state in S3; leave unset for Terraform's local state (`terraform.<stack>.tfstate` in the
   * project root).
   * @default - local state
   */
  readonly remoteState?: RemoteStateConfig;
  /**
   * Key of this stack's state object (below `remoteState.keyPrefix`).
   * @default `<stack name>/terraform.tfstate`
   */
  readonly stateKey?: string;
  /**
   * The AWS account the stack deploys to. It qualifies globally unique names (S3 buckets); pin it
   * to plan without credentials.
   * @default - looked up at plan time (`aws_caller_identity`)
   */
  readonly accountId?: string;
  /**
   * The Terraform versions the configuration accepts (`terraform.required_version`).
   * @default TERRAFORM_VERSION
   */
  readonly terraformVersion?: string;
}

/**
 * The Terraform versions every stack needs: S3-native state locking (`use_lockfile`, the default
 * remote state) came in 1.10, and `moved` blocks, `terraform_data` and `replace_triggered_by`,
 * which the stacks use, earlier (1.1 to 1.4). An older Terraform stops at `init` with this
 * constraint in its message instead of failing halfway through a plan.
 */
export const TERRAFORM_VERSION = '>= 1.10';

/** The `required_version` of the terraform block, as an element (no stack override: the fast synth path keeps working). */
class TerraformVersionConstraint extends TerraformElement {
  constructor(
    scope: Construct,
    private readonly constraint: string,
  ) {
    super(scope, 'terraform-version');
  }

  public override toTerraform(): any {
    return { terraform: { required_version: this.constraint } };
  }

  public override toHclTerraform(): any {
    return this.toTerraform();
  }

  public override toMetadata(): any {
    return {};
  }
}

/**
 * A stack with the AWS provider (region and default tags), its backend (local without machine
 * paths, or S3), and the account and region that qualify globally unique names. Every system's
 * stack extends it.
 */
export class AwsStack extends TerraformStack {
  /** The stack that holds `scope`. */
  public static of(scope: IConstruct): AwsStack {
    const stack = TerraformStack.of(scope);
    if (!(stack instanceof AwsStack)) throw new Error(`${scope.node.path}: this construct needs an AwsStack (it names resources after the account and region)`);
    return stack;
  }

  /** The AWS provider of the stack. */
  public readonly provider: AwsProvider;
  /** Region of the provider. */
  public readonly region: string;
  /** Stack name (also its folder under cdktf.out/stacks). */
  public readonly stackName: string;
  /** The `Environment` default tag (`isProductionEnvironment` tells production). */
  public readonly environment: string;
  /**
   * The provider's default tags. Resources that AWS services launch for the stack (the instances
   * of a Batch compute environment) do not get them from the provider: give them these.
   */
  public readonly defaultTagValues: Readonly<Record<string, string>>;
  private readonly pinnedAccountId?: string;
  private callerIdentity?: DataAwsCallerIdentity;
  private readonly regionalProviders = new Map<string, AwsProvider>();
  private readonly providerProps: AwsStackProps;

  constructor(scope: Construct, name: string, props: AwsStackProps) {
    super(scope, name);
    new PropsValidator(this)
      .matches('region', props.region, REGION_PATTERN, 'an AWS region such as "eu-west-1"')
      .matches('accountId', props.accountId, /^\d{12}$/, 'an AWS account id (12 digits)')
      .throwIfInvalid();
    this.stackName = name;
    this.environment = props.environment;
    this.defaultTagValues = this.defaultTags(props);
    this.region = props.region;
    this.pinnedAccountId = props.accountId;
    this.provider = new AwsProvider(this, 'aws', { region: props.region, defaultTags: [{ tags: this.defaultTags(props) }] });
    this.providerProps = props;
    new TerraformVersionConstraint(this, props.terraformVersion ?? TERRAFORM_VERSION);
    if (props.remoteState) {
      s3Backend(this, props.remoteState, props.stateKey ?? `${name}/terraform.tfstate`);
    } else {
      const stackDir = path.resolve(App.of(this).outdir, 'stacks', name);
      localBackend(this, name, path.relative(stackDir, process.cwd()).split(path.sep).join('/') || '.');
    }
  }

  /**
   * Tags on every resource: the stack's own, then `Project`, `Environment`, `ManagedBy`, and
   * `Stack` (the stack's name: what a cost budget or Cost Explorer filters one stack by, once it
   * is activated as a cost allocation tag in Billing).
   */
  private defaultTags(props: AwsStackProps): Record<string, string> {
    return { ...(props.tags ?? {}), Project: props.project, Environment: props.environment, ManagedBy: props.managedBy ?? 'terraform', Stack: this.stackName };
  }

  /**
   * An aliased AWS provider for `region` with the stack's default tags, created once per region
   * (alias `us_east_1` for us-east-1); the stack's own provider for its own region. CloudFront
   * certificates and CLOUDFRONT-scoped web ACLs must be created in us-east-1.
   */
  public providerFor(region: string): AwsProvider {
    if (region === this.region) return this.provider;
    new PropsValidator(this).matches('providerFor', region, REGION_PATTERN, 'an AWS region such as "us-east-1"').throwIfInvalid();
    let provider = this.regionalProviders.get(region);
    if (!provider) {
      const p = this.providerProps;
      provider = new AwsProvider(this, `aws-${region}`, {
        alias: region.replace(/-/g, '_'),
        region,
        defaultTags: [{ tags: this.defaultTags(p) }],
      });
      this.regionalProviders.set(region, provider);
    }
    return provider;
  }

  /** The account id: pinned, or looked up once per stack at plan time. */
  public get accountId(): string {
    if (this.pinnedAccountId) return this.pinnedAccountId;
    this.callerIdentity ??= new DataAwsCallerIdentity(this, 'current');
    return this.callerIdentity.accountId;
  }

  /**
   * `<base>-<account>-<region>`: a name no other account or region can hold (S3 bucket names are
   * global), after AWS CDK bootstrap's `<qualifier>-<account>-<region>`.
   */
  public qualifiedName(base: string): string {
    return `${base}-${this.accountId}-${this.region}`;
  }

  /** Characters `qualifiedName` adds to its base. */
  public get qualifierLength(): number {
    return 12 + this.region.length + 2;
  }

  /**
   * The stack's Terraform JSON, with the guardrail suppressions, acceptances and closing settings of
   * its constructs (metadata) under `//`, which Terraform ignores: the post-synth check and any
   * reader of cdk.tf.json see them.
   */
  public toTerraform(): any {
    const tf = super.toTerraform();
    const suppressions = suppressionsIn(this);
    const accepted = acceptancesIn(this);
    const closeWith = closuresIn(this);
    if (suppressions.length + accepted.length + closeWith.length > 0) {
      tf['//'] = {
        ...tf['//'],
        guardrails: { ...(suppressions.length > 0 ? { suppressions } : {}), ...(accepted.length > 0 ? { accepted } : {}), ...(closeWith.length > 0 ? { closeWith } : {}) },
      };
    }
    return tf;
  }
}
