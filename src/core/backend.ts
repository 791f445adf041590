import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';

/** Where a stack keeps its Terraform state in S3 (the shape of the `remoteState` setting). */
export interface RemoteStateConfig {
  /** Name of the S3 bucket holding the state (create it with the `state-bootstrap` stack). */
  readonly bucket: string;
  /** Region of the state bucket. */
  readonly region: string;
  /**
   * Prefix of every state key: `<keyPrefix>/<stack key>`.
   * @default - no prefix
   */
  readonly keyPrefix?: string;
  /**
   * DynamoDB table used for state locking.
   * @default - no table: S3-native locking (`use_lockfile`, Terraform >= 1.10)
   */
  readonly dynamodbTable?: string;
  /**
   * Lock with a lock file next to the state object (S3-native locking).
   * @default - true when no `dynamodbTable` is named, false otherwise
   */
  readonly useLockfile?: boolean;
  /**
   * KMS key (ARN) that encrypts the state objects.
   * @default - SSE-S3 (AES256): with `encrypt` and no key, Terraform's S3 backend asks for SSE-S3
   *   on every state object, whatever default encryption the bucket has
   */
  readonly kmsKeyArn?: string;
}

/** The state object key for `key` under the configuration's prefix. */
export function stateKey(config: Pick<RemoteStateConfig, 'keyPrefix'>, key: string): string {
  return config.keyPrefix ? `${config.keyPrefix}/${key}` : key;
}

/**
 * Points `stack` at the S3 backend `config` describes, with `encrypt = true` and either the
 * DynamoDB lock table or S3-native locking (`use_lockfile`, the default when no table is named).
 */
export function s3Backend(stack: TerraformStack, config: RemoteStateConfig, key: string): S3Backend {
  const backend = new S3Backend(stack, {
    bucket: config.bucket,
    region: config.region,
    key: stateKey(config, key),
    encrypt: true,
    kmsKeyId: config.kmsKeyArn,
    dynamodbTable: config.dynamodbTable,
  });
  // cdktf 0.21's S3Backend predates `use_lockfile` (Terraform >= 1.10); set it as a raw override.
  if (config.useLockfile ?? config.dynamodbTable === undefined) backend.addOverride('use_lockfile', true);
  return backend;
}

/**
 * Local state in the project root as `terraform.<stack>.tfstate`, addressed relative to the
 * stack's output directory (`cdktf.out/stacks/<stack>`), so the synthesized file holds no machine
 * path and wiping `cdktf.out` keeps the state. (cdktf's own default writes an absolute path.)
 */
export function localBackend(stack: TerraformStack, name: string, projectRoot = '../../..'): LocalBackend {
  return new LocalBackend(stack, { path: `${projectRoot}/terraform.${name}.tfstate` });
}
