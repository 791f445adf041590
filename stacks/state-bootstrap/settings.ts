/** Settings of the state-bootstrap stack. */
import { s } from '../settings';

/** Which stacks need each service-linked role, for its description. */
const SERVICE_LINKED_ROLE_DOC = {
  ecs: 'AWSServiceRoleForECS: an ECS capacity provider (GPU instances) made before ECS was ever used in the account fails without it.',
  spot: 'AWSServiceRoleForEC2Spot: spot instances launched through the API (not the console) fail without it.',
  autoscaling: 'AWSServiceRoleForAutoScaling: Auto Scaling makes it itself given iam:CreateServiceLinkedRole; make it here where deployers lack that permission.',
  batch: 'AWSServiceRoleForBatch: AWS Batch makes it itself given iam:CreateServiceLinkedRole; make it here where deployers lack that permission.',
} as const;

const fields = {
  region: s.region({ description: 'Region of the state bucket and lock table (document 004\'s backend region by default).', default: 'eu-west-1' }),
  accountId: s.optional(s.accountId({ description: 'The AWS account: it qualifies the default bucket name; pin it to plan without credentials. Default: looked up at plan time.' })),
  bucketName: s.optional(
    s.bucketName({
      description:
        'Name of the state bucket. Bucket names are global: the default carries the account and region, so it is free; the documents\' names (`artwork-matcher-terraform-state`, `predictor-model-terraform-state`) can be given here, with `adoptExisting` when the bucket was already made by hand. Default: "terraform-state-<account>-<region>".',
    }),
  ),
  createLockTable: s.boolean({ description: 'Create the DynamoDB lock table. Turn it off when every stack uses S3-native locking.', default: true }),
  lockTableName: s.dynamodbTableName({ description: 'Name of the DynamoDB lock table (documents 000 and 004 name it so).', default: 'terraform-state-lock' }),
  encryption: s.oneOf(['aws:kms', 'AES256'], { expected: 'an S3 encryption', description: 'Default encryption of the bucket: SSE-KMS (`aws:kms`) or SSE-S3 (`AES256`).', default: 'aws:kms' }),
  kmsKeyArn: s.optional(s.arn('kms', { description: 'Customer managed KMS key for the bucket and the table. Default: AWS managed keys.' })),
  noncurrentVersionExpirationDays: s.number({ min: 1, max: 36500, unit: 'days', description: 'Days a superseded state version is kept.', default: 90 }),
  protect: s.boolean({ description: '`prevent_destroy` on the bucket and the table, plus DynamoDB deletion protection.', default: true }),
  adoptExisting: s.boolean({
    description:
      'Adopt an existing bucket and lock table of these names (created by hand, as the documents\' setup commands do) with Terraform `import` blocks, and harden them in place, instead of failing with `BucketAlreadyOwnedByYou`. Needs Terraform >= 1.5 and credentials to plan.',
    default: false,
  }),
  storeOwnState: s.boolean({
    description:
      'Keep this stack\'s own state in the bucket it creates (key `state-bootstrap/terraform.tfstate` under `remoteState`). Turn it on after the first apply, synth, then run `terraform init -migrate-state` in `cdktf.out/stacks/state-bootstrap`. Needs `remoteState`.',
    default: false,
  }),
  tags: s.tags(),
  account: s.object(
    {
      serviceLinkedRoles: s.object(
        Object.fromEntries(
          (['ecs', 'spot', 'autoscaling', 'batch'] as const).map((name) => [
            name,
            s.optional(s.oneOf(['create', 'adopt'], { expected: 'what to do with the role', description: SERVICE_LINKED_ROLE_DOC[name] })),
          ]),
        ) as Record<'ecs' | 'spot' | 'autoscaling' | 'batch', s.Optional<s.TChoice<'create' | 'adopt'>>>,
        {
          description:
            'Service-linked roles to create ("create") or take over where they exist ("adopt", with an import block: needs credentials to plan). In an account that never used ECS, create "ecs" before any stack with a GPU capacity provider (vision-validator, artwork-matcher-production); "spot" before spot instances (vision-validator with gpu.spot, nutrition-video-analysis). Default: none; leave a role out when the account already has it.',
        },
      ),
      apiGatewayCloudWatchRole: s.boolean({
        description: "API Gateway's CloudWatch Logs role for this stack's region, which REST API access logs need (nutrition-video-analysis): a role and the account setting pointing at it. The setting stays when this stack is destroyed.",
        default: false,
      }),
      costAllocationTags: s.array(s.string({ pattern: /^(?!aws:)[A-Za-z0-9 _.:/=+@-]{1,128}$/, expected: 'a tag key (1-128 letters, digits, spaces and _.:/=+@-, not starting with "aws:")' }), {
        unique: true,
        plural: 'tag keys',
        description:
          'Tag keys to activate as cost allocation tags, so that budgets filtering on them count (artwork-matcher\'s budget filters on "Stack"). Only the management account of an Organization can activate them, and only once billed usage carries the tag (up to 24 hours after the first stack is deployed): add "Stack" the day after.',
        default: [],
      }),
    },
    { description: 'What every stack assumes the account (and this region) has, made once here. Each piece is off until set.' },
  ),
};


/** What a user may set for the state-bootstrap stack. */
export type StateBootstrapSettings = s.Static<s.TObject<typeof fields>>;

/** The cross-field rules. */
function checkStateBootstrap(v: StateBootstrapSettings, issue: s.IssueFn): void {
  if (v.kmsKeyArn !== undefined && v.encryption !== 'aws:kms') issue('kmsKeyArn', `needs encryption "aws:kms", not ${JSON.stringify(v.encryption)}`);
  if (v.adoptExisting && v.bucketName === undefined) issue('adoptExisting', 'true needs bucketName: the name of the bucket to adopt');
  if (!v.createLockTable && v.lockTableName !== stateBootstrapDefaults.lockTableName) issue('lockTableName', `${JSON.stringify(v.lockTableName)} has no effect with createLockTable false`);
}

/** The settings schema: every field, its description and its default. */
export const stateBootstrapSchema = s.object(fields, { refine: checkStateBootstrap });

/** The defaults, as the schema declares them. */
export const stateBootstrapDefaults = s.defaultsOf(stateBootstrapSchema);
