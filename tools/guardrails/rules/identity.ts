/**
 * Rules for IAM, KMS, Secrets Manager and Terraform variables.
 *
 * Each rule's counterparts were read in the checks' source: checkov (bridgecrewio/checkov at
 * 03d5fdad8d, under checkov/terraform/checks/) and cdk-nag (cdklabs/cdk-nag at ca6d1b54, under
 * src/rules/); the comment above each rule's counterparts names the files.
 */
import type { Rule } from '../engine';
import { Resource, StackModel, blocks, isExpression } from '../../model';
import { Statement, allows, describe, grants, hasAction, list, onAnyResource, openToEveryone, publicGrants } from '../policy';

/**
 * Identity policies of a resource: the `policy` of policy resources, the inline policies of a role,
 * the `inline_policy` of an IAM Identity Center permission set.
 */
function identityPolicies(r: Resource, stack: StackModel): unknown[] {
  if (r.type === 'aws_iam_role') {
    return blocks(r.body.inline_policy).map((p) => (typeof p.policy === 'string' ? safeDecode(p.policy) : undefined)).filter((d) => d !== undefined);
  }
  const doc = stack.document(r, r.type === 'aws_ssoadmin_permission_set_inline_policy' ? 'inline_policy' : 'policy');
  return doc === undefined ? [] : [doc];
}

function safeDecode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const POLICY_TYPES = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role', 'aws_ssoadmin_permission_set_inline_policy'];

function eachAllow(fn: (s: Statement) => string | undefined): (r: Resource, stack: StackModel) => string[] {
  return (r, stack) => identityPolicies(r, stack).flatMap((doc) => allows(doc).flatMap((s) => {
    const problem = fn(s);
    return problem ? [problem] : [];
  }));
}

/** AWS managed policies that grant administrator or account-wide write access. */
const ADMIN_POLICIES = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/**
 * Actions that escalate privileges when granted on every resource, alone or with others: each
 * method of cloudsplaining 0.7's PRIVILEGE_ESCALATION_METHODS (shared/constants.py, what checkov's
 * CKV_AWS_286 runs) needs iam:PassRole or one of the others.
 */
const ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:AddUserToGroup',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'glue:UpdateDevEndpoint',
  'lambda:UpdateFunctionCode',
];

/** Variable names that hold secrets. */
const SECRET_VARIABLE = /(secret|password|passwd|token|api_?key|private_?key|credential)/i;

export const IDENTITY_RULES: readonly Rule[] = [
  {
    id: 'AWS-IAM-001',
    severity: 'error',
    title: 'No policy allows every action on every resource',
    rationale: '"Action": "*" on "Resource": "*" is administrator access; a workload never needs it and a leak of its credentials then owns the account.',
    // checkov resource/aws/IAMAdminPolicyDocument.py; cdk-nag iam/IAMPolicyNoStatementsWithAdminAccess.ts
    checkov: [{ id: 'CKV_AWS_62', relation: 'broader', difference: 'CKV_AWS_62 reads no role inline_policy blocks and no NotResource.' }],
    cdkNag: [{ id: 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', relation: 'narrower', difference: 'Action "*" on a resource pattern such as arn:aws:s3:::bucket/* is AWS-IAM-002\'s finding, where cdk-nag\'s pattern counts any resource ending in "*" as every resource.' }],
    types: POLICY_TYPES,
    check: eachAllow((s) => (hasAction(s, '*') && onAnyResource(s) ? `grants administrator access: statement ${describe(s)}` : undefined)),
  },
  {
    id: 'AWS-IAM-002',
    severity: 'warning',
    title: 'Policies name their actions',
    rationale: '"*" or "service:*" actions grant every present and future action of a service (deletes and policy changes included); list what the workload calls.',
    // checkov resource/aws/IAMStarActionPolicyDocument.py; cdk-nag iam/IAMPolicyNoStatementsWithFullAccess.ts
    checkov: [{ id: 'CKV_AWS_63', relation: 'broader', difference: 'CKV_AWS_63 fails "*" only, not "service:*" or NotAction.' }],
    cdkNag: [{ id: 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess', relation: 'broader', difference: 'cdk-nag does not read NotAction, nor service prefixes with a hyphen.' }],
    types: POLICY_TYPES,
    check: eachAllow((s) => {
      const wild = list(s.Action).filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a));
      return wild.length || s.NotAction !== undefined ? `allows ${wild.length ? wild.join(', ') : 'NotAction (everything else)'}: statement ${describe(s)}` : undefined;
    }),
  },
  {
    id: 'AWS-IAM-003',
    severity: 'error',
    title: 'No administrator managed policies are attached',
    rationale: 'AdministratorAccess, PowerUserAccess and IAMFullAccess on a workload role turn any code execution in it into account takeover.',
    // checkov resource/aws/IAMManagedAdminPolicy.py; cdk-nag iam/IAMNoManagedPolicies.ts
    checkov: [{ id: 'CKV_AWS_274', relation: 'broader', difference: 'CKV_AWS_274 fails AdministratorAccess only.' }],
    cdkNag: [{ id: 'AwsSolutions-IAM4', relation: 'narrower', difference: 'Only administrator policies: cdk-nag fails every AWS managed policy, and the service-role ones (ECS task execution, SSM, X-Ray) are maintained by AWS for exactly those roles.' }],
    types: ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_role', 'aws_ssoadmin_managed_policy_attachment'],
    check(r) {
      const arns = list(r.type === 'aws_iam_role' ? r.body.managed_policy_arns : (r.body.policy_arn ?? r.body.managed_policy_arn));
      return arns.filter((a) => ADMIN_POLICIES.test(a)).map((a) => `attaches ${a}`);
    },
  },
  {
    id: 'AWS-IAM-004',
    severity: 'error',
    title: 'Trust policies name who may assume the role',
    rationale: 'A trust policy for a wildcard principal that no account, organization or source condition narrows lets any AWS account assume the role.',
    // checkov resource/aws/IAMRoleAllowsPublicAssume.py
    checkov: [{ id: 'CKV_AWS_60', relation: 'narrower', difference: 'A wildcard principal narrowed by an account, organization or source condition passes, where CKV_AWS_60 fails any Principal {"AWS": "*"} (and passes a bare Principal "*", which this rule fails).' }],
    types: ['aws_iam_role'],
    check(r, stack) {
      return allows(stack.document(r, 'assume_role_policy'))
        .filter(openToEveryone)
        .map((s) => `can be assumed by anyone: statement ${describe(s)}`);
    },
  },
  {
    id: 'AWS-IAM-005',
    severity: 'error',
    title: 'Privilege-escalation actions are limited to named resources',
    rationale: 'iam:PassRole on "*" hands any role (an administrator\'s included) to a service the holder controls, and iam:Put*Policy, iam:CreatePolicyVersion, iam:CreateAccessKey or lambda:UpdateFunctionCode on "*" rewrite someone else\'s permissions or code: privilege escalation.',
    // checkov resource/aws/IAMPrivilegeEscalation.py (cloudsplaining scan/policy_document.py allows_privilege_escalation, shared/constants.py)
    checkov: [{ id: 'CKV_AWS_286', relation: 'broader', difference: 'CKV_AWS_286 fails a policy only when it grants every action of an escalation method (iam:PassRole with ec2:RunInstances, say); this rule fails each escalation action on every resource.' }],
    types: POLICY_TYPES,
    check: eachAllow((s) => {
      const granted = onAnyResource(s) ? ESCALATION_ACTIONS.filter((a) => grants(s, a)) : [];
      return granted.length ? `allows ${granted.join(', ')} on every resource: statement ${describe(s)}` : undefined;
    }),
  },
  {
    id: 'AWS-IAM-006',
    severity: 'error',
    title: 'No policies on IAM users',
    rationale: 'Workloads use roles with temporary credentials; a user with policies means long-lived access keys.',
    // checkov resource/aws/IAMPolicyAttachedToGroupOrRoles.py; cdk-nag iam/IAMUserNoPolicies.ts
    checkov: [{ id: 'CKV_AWS_40', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-IAMUserNoPolicies', relation: 'equivalent' }],
    types: ['aws_iam_user_policy', 'aws_iam_user_policy_attachment', 'aws_iam_policy_attachment'],
    check(r) {
      if (r.type !== 'aws_iam_policy_attachment') return `attaches a policy to IAM user ${JSON.stringify(r.body.user)}`;
      const users = list(r.body.users);
      return users.length ? `attaches a policy to IAM user(s) ${users.map((u) => JSON.stringify(u)).join(', ')}` : undefined;
    },
  },
  {
    id: 'AWS-KMS-001',
    severity: 'error',
    title: 'Customer keys rotate',
    rationale: 'Yearly rotation of the key material limits what one leaked or broken key version decrypts.',
    // checkov resource/aws/KMSRotation.py; cdk-nag kms/KMSBackingKeyRotationEnabled.ts
    checkov: [{ id: 'CKV_AWS_7', relation: 'equivalent' }],
    cdkNag: [{ id: 'AwsSolutions-KMS5', relation: 'equivalent' }],
    types: ['aws_kms_key'],
    check(r) {
      const spec = r.body.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      if (spec !== 'SYMMETRIC_DEFAULT') return undefined; // asymmetric and HMAC keys cannot rotate
      return r.body.enable_key_rotation === true || isExpression(r.body.enable_key_rotation) ? undefined : 'does not rotate (enable_key_rotation = true)';
    },
  },
  {
    id: 'AWS-KMS-002',
    severity: 'error',
    title: 'Key policies grant nothing to everyone',
    rationale: 'A key policy allowing a wildcard principal that no account, organization, network or source condition narrows lets any account use (or manage) the key.',
    // checkov resource/aws/KMSKeyWildcardPrincipal.py
    checkov: [{ id: 'CKV_AWS_33', relation: 'broader', difference: 'CKV_AWS_33 passes a wildcard principal under any condition at all (aws:SecureTransport included), and an ARN of any account (arn:aws:iam::*:root).' }],
    types: ['aws_kms_key'],
    check(r, stack) {
      return publicGrants(stack.document(r, 'policy'));
    },
  },
  {
    id: 'AWS-KMS-003',
    severity: 'warning',
    title: 'Keys have an explicit key policy',
    rationale: 'Without one, KMS applies the default policy; writing it makes who administers and who uses the key reviewable in the code.',
    // checkov graph_checks/aws/KmsKeyPolicyIsDefined.yaml
    checkov: [{ id: 'CKV2_AWS_64', relation: 'equivalent' }],
    types: ['aws_kms_key'],
    check(r, stack) {
      return r.body.policy !== undefined || stack.hasAttached('aws_kms_key_policy', 'key_id', r) ? undefined : 'has no key policy';
    },
  },
  {
    id: 'AWS-SM-001',
    severity: 'error',
    title: 'Secret values never appear in the configuration',
    rationale: 'A literal secret_string is written to cdk.tf.json, to the repository and to every plan; values come from sensitive variables or are set outside Terraform.',
    noEquivalent: 'checkov scans for secrets in code (CKV_SECRET_*), not in synthesized Secrets Manager secret versions',
    types: ['aws_secretsmanager_secret_version'],
    check(r) {
      return ['secret_string', 'secret_binary']
        .filter((f) => typeof r.body[f] === 'string' && r.body[f] !== '' && !isExpression(r.body[f]))
        .map((f) => `holds a literal ${f}; pass it as a sensitive variable`);
    },
  },
  {
    id: 'AWS-SM-002',
    severity: 'warning',
    title: 'Deleted secrets can be recovered',
    rationale: 'recovery_window_in_days = 0 deletes a secret at once: a destroy or replacement then breaks every consumer with no way back.',
    noEquivalent: 'neither checks a secret\'s recovery window',
    types: ['aws_secretsmanager_secret'],
    check(r) {
      return r.body.recovery_window_in_days === 0 ? 'is deleted without a recovery window (recovery_window_in_days = 0)' : undefined;
    },
  },
  {
    id: 'AWS-SM-003',
    severity: 'error',
    title: 'Secrets are encrypted with a customer managed key',
    rationale: 'Under the stack\'s key, reading a secret needs kms:Decrypt on that key as well as secretsmanager:GetSecretValue: a second, auditable grant, which the AWS managed key gives every principal of the account.',
    // checkov resource/aws/SecretManagerSecretEncrypted.py; cdk-nag secretsmanager/SecretsManagerUsingKMSKey.ts
    checkov: [{ id: 'CKV_AWS_149', relation: 'equivalent' }],
    cdkNag: [{ id: 'NIST.800.53.R5-SecretsManagerUsingKMSKey', relation: 'equivalent' }],
    types: ['aws_secretsmanager_secret'],
    check(r) {
      const key = r.body.kms_key_id;
      if (typeof key === 'string' && key !== '' && !key.includes('alias/aws/')) return undefined;
      return key ? `is encrypted with the AWS managed key ${JSON.stringify(key)}` : 'is encrypted with the AWS managed key aws/secretsmanager (no kms_key_id)';
    },
  },
  {
    id: 'AWS-TF-001',
    severity: 'error',
    title: 'Secret variables are sensitive and have no default',
    rationale: 'A default writes the secret into the configuration; a variable that is not sensitive prints it in every plan.',
    noEquivalent: 'a Terraform-variable rule: checkov and cdk-nag see resources, not input variables',
    types: ['variable'],
    check(r) {
      if (!SECRET_VARIABLE.test(r.name)) return undefined;
      const problems: string[] = [];
      if (r.body.sensitive !== true) problems.push(`variable "${r.name}" looks like a secret but is not sensitive`);
      if (typeof r.body.default === 'string' && r.body.default !== '') problems.push(`variable "${r.name}" has a default value, written into the configuration`);
      return problems;
    },
  },
];

