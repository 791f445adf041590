/**
 * Reading IAM policy documents (identity, trust and resource policies) for the rules. Values that
 * are Terraform references (`${...}`) are known at plan time only: never a wildcard by themselves.
 */

/** A policy statement, loosely typed (documents come from decoded JSON). */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** A string or a list of strings as a list (anything else: empty). */
export function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The statements of a policy document. */
export function statements(doc: unknown): Statement[] {
  const s = (doc as { Statement?: unknown } | undefined)?.Statement;
  if (Array.isArray(s)) return s as Statement[];
  return s && typeof s === 'object' ? [s as Statement] : [];
}

/** Allow statements of a document. */
export function allows(doc: unknown): Statement[] {
  return statements(doc).filter((s) => s.Effect === 'Allow');
}

/** The principals a statement names: `"*"`, and the values of its AWS, Federated and Service keys. */
function principals(s: Statement): string[] {
  const p = s.Principal;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const byKind = p as Record<string, unknown>;
    return ['AWS', 'Federated', 'Service'].flatMap((k) => list(byKind[k]));
  }
  return list(p);
}

/** Whether the principal is everyone: `"*"` or `{"AWS": "*"}`. */
function everyone(s: Statement): boolean {
  const p = s.Principal;
  return p === '*' || (typeof p === 'object' && p !== null && list((p as Record<string, unknown>).AWS).includes('*'));
}

/**
 * Condition keys that narrow a wildcard principal, by what their values name: cloudsplaining's
 * CONDITION_KEY_CATEGORIES (scan/resource_policy_document.py), which checkov's CKV_AWS_32, 168 and
 * 169 read policies with. aws:userid is left out: a user id pattern narrows nothing here.
 */
const NARROWING_KEYS: Readonly<Record<string, 'arn' | 'cidr' | 'organization' | 'other'>> = {
  'aws:sourcearn': 'arn',
  'aws:principalarn': 'arn',
  'aws:sourceowner': 'other',
  'aws:sourceaccount': 'other',
  'aws:principalaccount': 'other',
  'kms:calleraccount': 'other',
  'aws:principalorgid': 'organization',
  'aws:principalorgpaths': 'organization',
  'aws:sourceip': 'cidr',
  'aws:sourcevpc': 'other',
  'aws:sourcevpce': 'other',
  'saml:aud': 'other',
};

/** Condition operators that can narrow (no negations: StringNotEquals narrows nothing). */
const NARROWING_OPERATOR = /^((ForAllValues|ForAnyValue):)?(ARN(Equals|Like)|String(Equals|Like)(IgnoreCase)?|IpAddress)(IfExists)?/i;

/** Whether an ARN (or `"*"`) matches every account. */
function anyAccount(arn: string): boolean {
  if (arn === '*') return true;
  if (!arn.startsWith('arn:')) return false; // an account id, a service, a reference
  const [, , service, , account] = arn.split(':');
  if (service === 's3') return false; // S3 ARNs name no account
  return (!service && !account) || account === '*';
}

/** Whether a narrowing condition's value still lets everyone in. */
function openValue(kind: string, value: string): boolean {
  if (kind === 'arn') return anyAccount(value);
  if (kind === 'cidr') return value.endsWith('/0');
  if (kind === 'organization') return value.includes('o-*');
  return value.includes('*');
}

/** The narrowing conditions of a statement, as `[kind, value]`. */
function narrowingConditions(s: Statement): [string, string][] {
  return Object.entries(s.Condition ?? {})
    .filter(([operator]) => NARROWING_OPERATOR.test(operator))
    .flatMap(([, entries]) => Object.entries(entries ?? {}))
    .filter(([key]) => NARROWING_KEYS[key.toLowerCase()] !== undefined)
    .flatMap(([key, value]) => list(value).map((v): [string, string] => [NARROWING_KEYS[key.toLowerCase()], v]));
}

/**
 * Whether an Allow statement is open to everyone, as cloudsplaining reads resource policies: a
 * narrowing condition whose value lets everyone in, or, with no narrowing condition, a principal
 * `"*"` or an ARN of any account (`arn:aws:iam::*:root`).
 */
export function openToEveryone(s: Statement): boolean {
  if (s.Effect !== 'Allow') return false;
  const conditions = narrowingConditions(s);
  if (conditions.some(([kind, value]) => openValue(kind, value))) return true;
  return conditions.length === 0 && principals(s).some(anyAccount);
}

/** Allow statements of a document open to everyone. */
function publicAllows(doc: unknown): Statement[] {
  return allows(doc).filter(openToEveryone);
}

/** Whether an action pattern (`"*"`, `"iam:*"`, `"iam:Put*Policy"`) matches `action`, case-insensitively. */
function matches(pattern: string, action: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** Whether an action list holds `action` exactly (`"*"`, `"iam:PassRole"`), case-insensitively. */
export function hasAction(s: Statement, action: string): boolean {
  return list(s.Action).some((a) => a.toLowerCase() === action.toLowerCase());
}

/** Whether the statement grants `action`: an Action pattern matches it, or a NotAction leaves it out. */
export function grants(s: Statement, action: string): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => matches(p, action));
  return list(s.Action).some((p) => matches(p, action));
}

/** Whether the statement's resources include `"*"`. */
export function onAnyResource(s: Statement): boolean {
  return list(s.Resource).includes('*') || s.NotResource !== undefined;
}

/**
 * Whether the document denies requests without TLS as cdk-nag's S10, SQS4 and SNS3 read policies: a
 * Deny statement for everyone (`"*"` or `{"AWS": "*"}`) of one of `actions` (case-insensitively),
 * conditioned on Bool aws:SecureTransport false, on resources `resources` accepts.
 */
export function deniesInsecureTransport(doc: unknown, actions: readonly string[], resources: (list: string[]) => boolean = () => true): boolean {
  return statements(doc).some((s) => {
    if (s.Effect !== 'Deny' || !everyone(s) || !actions.some((a) => hasAction(s, a))) return false;
    const v = s.Condition?.Bool?.['aws:SecureTransport'];
    return (v === false || list(v).includes('false')) && resources(list(s.Resource));
  });
}

/** A finding for each statement of a resource policy open to everyone. */
export function publicGrants(doc: unknown): string[] {
  return publicAllows(doc).map((s) => `allows everyone: statement ${describe(s)} has a wildcard principal and no condition narrowing it to an account, organization, network or source`);
}

/** A statement's first few words for a message (`Allow s3:* on *`). */
export function describe(s: Statement): string {
  const actions = list(s.Action);
  const resources = list(s.Resource);
  return `${s.Sid ? `"${s.Sid}" ` : ''}(${s.Effect} ${actions.slice(0, 3).join(', ')}${actions.length > 3 ? ', ...' : ''}${resources.length ? ` on ${resources.slice(0, 2).join(', ')}${resources.length > 2 ? ', ...' : ''}` : ''})`;
}
