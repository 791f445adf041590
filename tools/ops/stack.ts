/**
 * What `npm run ops` knows of a stack: its synthesized configuration (`cdk.tf.json`, always) and
 * its Terraform state (only when one exists), and the values read from them. Before the first
 * apply every name comes from the configuration, which names the cluster, services, log groups
 * and repositories literally; once a state exists, its outputs and attributes win. A value known
 * only after apply (a load balancer's DNS name, an unpinned account id) reads as `<address>`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import { StackDocument, StackResource } from '../terraform/destroy';

/** Terraform state (format 4) as `terraform state pull` prints it and a local backend keeps it. */
export interface RawState {
  readonly outputs?: Readonly<Record<string, { readonly value: unknown }>>;
  readonly resources?: readonly { readonly mode: string; readonly type: string; readonly name: string; readonly instances: readonly { readonly attributes: Record<string, unknown> }[] }[];
}

/** A synthesized stack document with what `npm run ops` reads besides its resources. */
export interface OpsDocument extends StackDocument {
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output?: Readonly<Record<string, { readonly value: unknown }>>;
  readonly terraform?: { readonly backend?: { readonly local?: { readonly path: string }; readonly s3?: Record<string, unknown> } };
}

/** One stack as the commands see it. */
export interface StackView {
  readonly stack: string;
  /** Where Terraform runs for it: `cdktf.out/stacks/<stack>`. */
  readonly dir: string;
  readonly region: string;
  /** The account id, when settings pin it. */
  readonly accountId?: string;
  /** The `imageTag` setting, when the stack has one. */
  readonly imageTag?: string;
  readonly doc: OpsDocument;
  /** The state, when one exists (and, for a remote backend, `init` has run). */
  readonly state?: RawState;
}

/**
 * The stack's state, when it has one: the local backend's file, read as it is, or, for a remote
 * backend (S3) once `init` has run in `dir`, `terraform state pull`. Undefined before the first
 * apply (no file, or a state without resources).
 */
export function readState(dir: string, doc: OpsDocument, env: NodeJS.ProcessEnv): RawState | undefined {
  const local = doc.terraform?.backend?.local?.path;
  let text: string | undefined;
  if (local !== undefined) {
    const file = path.resolve(dir, local);
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  } else if (fs.existsSync(path.join(dir, '.terraform', 'terraform.tfstate'))) {
    const pulled = spawnSync('terraform', ['state', 'pull'], { cwd: dir, env, encoding: 'utf8' });
    if (pulled.status !== 0) throw new UserError(`terraform state pull failed in ${dir}:\n${pulled.stderr}`);
    text = pulled.stdout;
  }
  if (!text?.trim()) return undefined;
  const state = JSON.parse(text) as RawState;
  return (state.resources ?? []).length > 0 ? state : undefined;
}

/** The attributes of `mode.type.name` in the state, when it is there. */
function stateAttributes(state: RawState | undefined, mode: 'managed' | 'data', type: string, name: string): Record<string, unknown> | undefined {
  return state?.resources?.find((r) => r.mode === mode && r.type === type && r.name === name)?.instances[0]?.attributes;
}

/** The account id: pinned by the settings, else the one the state's caller identity read, else `<account-id>`. */
function accountOf(view: StackView): string {
  const read = view.state?.resources?.find((r) => r.mode === 'data' && r.type === 'aws_caller_identity')?.instances[0]?.attributes.account_id;
  return view.accountId ?? (typeof read === 'string' ? read : '<account-id>');
}

/** `${type.name.attribute}` and `${data.type.name.attribute}` references in a configuration string. */
const REFERENCE = /\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/** The value of one reference: from the state, else from the configuration, else `<address>`. */
function referenceValue(view: StackView, data: boolean, type: string, name: string, attribute: string, depth: number): string {
  const address = `${data ? 'data.' : ''}${type}.${name}.${attribute}`;
  const known = stateAttributes(view.state, data ? 'data' : 'managed', type, name)?.[attribute];
  if (typeof known === 'string' || typeof known === 'number') return String(known);
  if (data && type === 'aws_caller_identity' && attribute === 'account_id') return accountOf(view);
  const body = (data ? view.doc.data : view.doc.resource)?.[type]?.[name];
  const configured = body?.[attribute];
  if ((typeof configured === 'string' || typeof configured === 'number') && depth < 5) return resolveString(view, String(configured), depth + 1);
  if (!data && type === 'aws_ecr_repository' && attribute === 'repository_url' && typeof body?.name === 'string') {
    return `${accountOf(view)}.dkr.ecr.${view.region}.amazonaws.com/${resolveString(view, body.name, depth + 1)}`;
  }
  return `<${address}>`;
}

/** A configuration string with every reference replaced by its value. */
function resolveString(view: StackView, text: string, depth = 0): string {
  return text.replace(REFERENCE, (_, data: string | undefined, type: string, name: string, attribute: string) => referenceValue(view, Boolean(data), type, name, attribute, depth));
}

/** A configuration value (strings, lists and objects at any depth) with every reference resolved. */
export function resolveValue(view: StackView, value: unknown): unknown {
  if (typeof value === 'string') return resolveString(view, value);
  if (Array.isArray(value)) return value.map((v) => resolveValue(view, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(view, v)]));
  return value;
}

/** What a value known only after apply reads as: `<account-id>` or `<type.name.attribute>`. */
const UNKNOWN = /<(?:account-id|(?:data\.)?[a-z0-9_]+\.[\w-]+\.[a-z0-9_]+)>/;

/** Whether a resolved value (or a command made of them) still holds something known only after apply. */
export function isUnknown(value: string): boolean {
  return UNKNOWN.test(value);
}

/**
 * The stack's outputs: the state's when it holds every one of `names`, else the configuration's,
 * resolved (against the state's resources when there is a state).
 */
export function stackOutputs(view: StackView, names: readonly string[]): Record<string, unknown> {
  const fromState = view.state?.outputs ?? {};
  if (view.state && names.every((n) => n in fromState)) return Object.fromEntries(Object.entries(fromState).map(([k, o]) => [k, o.value]));
  return Object.fromEntries(Object.entries(view.doc.output ?? {}).map(([k, o]) => [k, resolveValue(view, o.value)]));
}

/** The stack's managed resources, their values from the state where it has them, else from the configuration (resolved). */
export function stackResources(view: StackView): StackResource[] {
  return Object.entries(view.doc.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => {
      const fromState = stateAttributes(view.state, 'managed', type, name);
      const values = { ...(resolveValue(view, body) as Record<string, unknown>), ...(fromState ?? {}) };
      return { address: `${type}.${name}`, type, values, preventDestroy: (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true };
    }),
  );
}
