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

/** Whether the statement's principal is everyone (`"*"`, `{"AWS": "*"}`). */
export function wildcardPrincipal(s: Statement): boolean {
  const p = s.Principal;
  if (p === '*') return true;
  if (p && typeof p === 'object') return Object.values(p as Record<string, unknown>).some((v) => list(v).includes('*'));
  return false;
}

/** Whether the statement has a condition. */
export function conditioned(s: Statement): boolean {
  return s.Condition !== undefined && Object.keys(s.Condition).length > 0;
}

/** Allow statements open to everyone with no condition narrowing them. */
export function publicAllows(doc: unknown): Statement[] {
  return allows(doc).filter((s) => wildcardPrincipal(s) && !conditioned(s));
}

/** Whether an action list holds `pattern` exactly (`"*"`, `"iam:PassRole"`), case-insensitively. */
export function hasAction(s: Statement, action: string): boolean {
  return list(s.Action).some((a) => a.toLowerCase() === action.toLowerCase());
}

/** Whether the statement's resources include `"*"`. */
export function onAnyResource(s: Statement): boolean {
  return list(s.Resource).includes('*') || s.NotResource !== undefined;
}

/**
 * Whether the document denies every request that does not use TLS: a Deny statement for every
 * principal, conditioned on `aws:SecureTransport` being false.
 */
export function deniesInsecureTransport(doc: unknown): boolean {
  return statements(doc).some((s) => {
    if (s.Effect !== 'Deny' || !wildcardPrincipal(s)) return false;
    const bool = s.Condition?.Bool ?? s.Condition?.BoolIfExists;
    const v = bool?.['aws:SecureTransport'];
    return list(v).includes('false') || v === false;
  });
}

/** A statement's first few words for a message (`Allow s3:* on *`). */
export function describe(s: Statement): string {
  const actions = list(s.Action);
  const resources = list(s.Resource);
  return `${s.Sid ? `"${s.Sid}" ` : ''}(${s.Effect} ${actions.slice(0, 3).join(', ')}${actions.length > 3 ? ', ...' : ''}${resources.length ? ` on ${resources.slice(0, 2).join(', ')}${resources.length > 2 ? ', ...' : ''}` : ''})`;
}
