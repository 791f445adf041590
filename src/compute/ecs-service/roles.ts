import { Construct } from 'constructs';
import { TerraformResource } from 'cdktf';
import { isUnresolved } from '../../core/validation';
import { ServiceRole } from '../../security/iam';
import type { IGrantable } from '../../core/iam';
import { Relations } from '../../core/relations';

/** A secret the container reads from Secrets Manager (the `SecretValue` construct has this shape). */
export interface ISecretSource {
  /** ARN of the secret. */
  readonly secretArn: string;
  /** Lets `grantee` read the secret (and decrypt it with its key). */
  grantRead(grantee: IGrantable): void;
}

/**
 * A secret for a container: a secret construct (`ISecretSource`), an ARN, or an explicit Secrets
 * Manager key or SSM parameter.
 */
export type ContainerSecret =
  | ISecretSource
  | string
  | { /** Secrets Manager secret ARN. */ readonly secretArn: string; /** Key inside a JSON secret. @default - the whole secret */ readonly jsonKey?: string; readonly grantRead?: undefined }
  | { /** SSM parameter ARN. */ readonly parameterArn: string };

/** ECS Exec's channel permissions (the task role needs them; the agent opens the channels). */
const ECS_EXEC_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/**
 * The two roles of a task: the execution role (ECS pulls the image, writes logs and reads exactly
 * the secrets the containers inject) and the task role (the application's permissions, granted by
 * the constructs it uses).
 */
export class TaskRoles extends Construct {
  public readonly execution: ServiceRole;
  public readonly task: ServiceRole;
  private readonly secrets = new Set<string>();

  constructor(scope: Construct, id: string, props: { readonly name: string }) {
    super(scope, id);
    this.execution = new ServiceRole(this, 'execution', {
      name: `${props.name}-execution`,
      assumedBy: 'ecs-tasks.amazonaws.com',
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    });
    this.task = new ServiceRole(this, 'task', { name: `${props.name}-task`, assumedBy: 'ecs-tasks.amazonaws.com' });
  }

  /** Lets the execution role read `secret` (a secret construct grants its own key use too). */
  public grantSecret(secret: ContainerSecret): void {
    if (typeof secret === 'object' && 'grantRead' in secret && typeof secret.grantRead === 'function') {
      secret.grantRead(this.execution);
      return;
    }
    const plain = secret as Exclude<ContainerSecret, { grantRead(g: unknown): void }>;
    if (typeof plain === 'object' && 'parameterArn' in plain) {
      this.execution.addToPolicy({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: plain.parameterArn });
      return;
    }
    const arn = typeof plain === 'string' ? plain : plain.secretArn;
    if (!isUnresolved(arn) && arn.includes(':ssm:')) {
      this.execution.addToPolicy({ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: arn });
      return;
    }
    // `arn:aws:secretsmanager:<region>:<account>:secret:<name>[:json-key:version-stage:version-id]`
    const resource = isUnresolved(arn) ? arn : arn.split(':').slice(0, 7).join(':');
    if (this.secrets.has(resource)) return;
    this.secrets.add(resource);
    Relations.grantOn(this, resource, this.execution, 'read');
    this.execution.addToPolicy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: resource });
  }

  /** Lets ECS Exec open its channels from the task. */
  public enableExec(): void {
    this.task.addToPolicy({ Effect: 'Allow', Action: ECS_EXEC_ACTIONS, Resource: '*' });
  }

  /** Makes `resource` wait for every policy of both roles, present and future. */
  public addDependent(resource: TerraformResource): void {
    this.execution.addDependent(resource);
    this.task.addDependent(resource);
  }
}
