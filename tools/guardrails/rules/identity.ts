/** Rules for IAM, KMS, Secrets Manager and Terraform variables. */
import type { Rule } from '../engine';
import { Resource, StackModel, blocks, isExpression } from '../../model';
import { Statement, allows, describe, hasAction, list, onAnyResource, publicAllows, wildcardPrincipal } from '../policy';

/** Identity policies of a resource: the `policy` of policy resources, the inline policies of a role. */
function identityPolicies(r: Resource, stack: StackModel): unknown[] {
  if (r.type === 'aws_iam_role') {
    return blocks(r.body.inline_policy).map((p) => (typeof p.policy === 'string' ? safeDecode(p.policy) : undefined)).filter((d) => d !== undefined);
  }
  const doc = stack.document(r, 'policy');
  return doc === undefined ? [] : [doc];
}

function safeDecode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const POLICY_TYPES = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'];

function eachAllow(fn: (s: Statement) => string | undefined): (r: Resource, stack: StackModel) => string[] {
  return (r, stack) => identityPolicies(r, stack).flatMap((doc) => allows(doc).flatMap((s) => {
    const problem = fn(s);
    return problem ? [problem] : [];
  }));
}

/** AWS managed policies that grant administrator or account-wide write access. */
const ADMIN_POLICIES = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/** Variable names that hold secrets. */
const SECRET_VARIABLE = /(secret|password|passwd|token|api_?key|private_?key|credential)/i;

export const IDENTITY_RULES: readonly Rule[] = [
  {
    id: 'AWS-IAM-001',
    severity: 'error',
    title: 'No policy allows every action on every resource',
    rationale: '"Action": "*" on "Resource": "*" is administrator access; a workload never needs it and a leak of its credentials then owns the account.',
    checkov: 'CKV_AWS_62',
    cdkNag: 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess',
    types: POLICY_TYPES,
    check: eachAllow((s) => (hasAction(s, '*') && onAnyResource(s) ? `grants administrator access: statement ${describe(s)}` : undefined)),
  },
  {
    id: 'AWS-IAM-002',
    severity: 'warning',
    title: 'Policies name their actions',
    rationale: '"*" or "service:*" actions grant every present and future action of a service (deletes and policy changes included); list what the workload calls.',
    checkov: 'CKV_AWS_63',
    cdkNag: 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
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
    checkov: 'CKV_AWS_274',
    cdkNag: 'AwsSolutions-IAM4',
    types: ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_role'],
    check(r) {
      const arns = r.type === 'aws_iam_role' ? list(r.body.managed_policy_arns) : list(r.body.policy_arn);
      return arns.filter((a) => ADMIN_POLICIES.test(a)).map((a) => `attaches ${a}`);
    },
  },
  {
    id: 'AWS-IAM-004',
    severity: 'error',
    title: 'Trust policies name who may assume the role',
    rationale: 'A trust policy for Principal "*" (without an external id or source condition) lets any AWS account assume the role.',
    checkov: 'CKV_AWS_60',
    types: ['aws_iam_role'],
    check(r, stack) {
      return allows(stack.document(r, 'assume_role_policy'))
        .filter((s) => wildcardPrincipal(s) && !(s.Condition && Object.keys(s.Condition).length))
        .map((s) => `can be assumed by anyone: statement ${describe(s)}`);
    },
  },
  {
    id: 'AWS-IAM-005',
    severity: 'error',
    title: 'iam:PassRole is limited to named roles',
    rationale: 'PassRole on "*" lets the holder hand any role (an administrator\'s included) to a service it controls: privilege escalation.',
    checkov: 'CKV_AWS_286',
    types: POLICY_TYPES,
    check: eachAllow((s) => ((hasAction(s, 'iam:PassRole') || hasAction(s, 'iam:*')) && onAnyResource(s) ? `allows iam:PassRole on every role: statement ${describe(s)}` : undefined)),
  },
  {
    id: 'AWS-IAM-006',
    severity: 'error',
    title: 'No policies on IAM users',
    rationale: 'Workloads use roles with temporary credentials; a user with policies means long-lived access keys.',
    checkov: 'CKV_AWS_40',
    cdkNag: 'NIST.800.53.R5-IAMUserNoPolicies',
    types: ['aws_iam_user_policy', 'aws_iam_user_policy_attachment'],
    check(r) {
      return `attaches a policy to IAM user ${JSON.stringify(r.body.user)}`;
    },
  },
  {
    id: 'AWS-KMS-001',
    severity: 'error',
    title: 'Customer keys rotate',
    rationale: 'Yearly rotation of the key material limits what one leaked or broken key version decrypts.',
    checkov: 'CKV_AWS_7',
    cdkNag: 'AwsSolutions-KMS5',
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
    rationale: 'A key policy allowing Principal "*" without a condition lets any account use (or manage) the key.',
    checkov: 'CKV_AWS_33',
    types: ['aws_kms_key'],
    check(r, stack) {
      return publicAllows(stack.document(r, 'policy')).map((s) => `allows everyone: statement ${describe(s)} has Principal "*" and no condition`);
    },
  },
  {
    id: 'AWS-KMS-003',
    severity: 'warning',
    title: 'Keys have an explicit key policy',
    rationale: 'Without one, KMS applies the default policy; writing it makes who administers and who uses the key reviewable in the code.',
    checkov: 'CKV2_AWS_64',
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

