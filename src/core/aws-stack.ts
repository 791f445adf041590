import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { configureRemoteState } from '../state';
import type { RemoteStateSettings } from '../settings';

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
   * Remote state; leave unset for Terraform's local state.
   * @default - local state
   */
  readonly remoteState?: RemoteStateSettings;
  /**
   * Key of this stack's state object (below `remoteState.keyPrefix`).
   * @default `<stack name>/terraform.tfstate`
   */
  readonly stateKey?: string;
}

/**
 * A stack with the AWS provider (region and default tags) and, when configured, the S3 backend.
 * Every system's stack extends it.
 */
export class AwsStack extends TerraformStack {
  /** The AWS provider of the stack. */
  public readonly provider: AwsProvider;
  /** Region of the provider. */
  public readonly region: string;
  /** Stack name (also its folder under cdktf.out/stacks). */
  public readonly stackName: string;

  constructor(scope: Construct, name: string, props: AwsStackProps) {
    super(scope, name);
    this.stackName = name;
    this.region = props.region;
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [
        {
          tags: {
            ...(props.tags ?? {}),
            Project: props.project,
            Environment: props.environment,
            ManagedBy: props.managedBy ?? 'terraform',
          },
        },
      ],
    });
    if (props.remoteState) {
      configureRemoteState(this, props.remoteState, props.stateKey ?? `${name}/terraform.tfstate`);
    }
  }
}
