/**
 * A Terraform plan read as data: `terraform plan -out=<file>` saves the plan, `terraform show -json
 * <file>` prints Terraform's JSON representation of it, and `summarizePlan` reads its
 * `resource_changes`. Nothing here reads Terraform's human-readable output (its wording and layout
 * are for people, and change between versions); `npm run plan` still prints that output for them.
 *
 * Terraform's actions per resource (`change.actions`): `["create"]`, `["update"]`, `["delete"]`,
 * `["read"]` (a data source read during apply), `["no-op"]`, `["forget"]` (a `removed` block), and
 * the two replacements: `["delete", "create"]` destroys the old object first, `["create",
 * "delete"]` creates the new one first (`create_before_destroy`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunResult, runTerraform } from './cli';

/** One action of `change.actions` in Terraform's JSON plan. */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

/** One entry of the JSON plan's `resource_changes` (the fields this project reads; Terraform writes more). */
export interface ResourceChange {
  /** Full address, e.g. `aws_s3_bucket.data_this_9506F1DE` or `data.aws_caller_identity.current`. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Set when the entry is about a deposed object (an old object a failed replacement left behind). */
  readonly deposed?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before?: unknown;
    readonly after?: unknown;
    readonly after_unknown?: unknown;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** One entry of the JSON plan's `output_changes`: a root module output before and after. */
export interface OutputChange {
  readonly actions: readonly PlanAction[];
  readonly before?: unknown;
  readonly after?: unknown;
  /** `true`, or an object or list of the same shape as `after` with `true` where a part is unknown. */
  readonly after_unknown?: unknown;
  readonly after_sensitive?: unknown;
}

/** A resource of the JSON plan's `configuration`: its expressions, with the references each makes. */
export interface ConfigResource {
  readonly address: string;
  readonly expressions?: Readonly<Record<string, { readonly references?: readonly string[] }>>;
  readonly [key: string]: unknown;
}

/** Terraform's JSON plan (`terraform show -json <planfile>`), as far as this project reads it. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
  /** The values after the plan; an output's `value` is absent while it is unknown. */
  readonly planned_values?: { readonly outputs?: Readonly<Record<string, { readonly sensitive: boolean; readonly value?: unknown; readonly type?: unknown }>> };
  readonly configuration?: { readonly root_module?: { readonly resources?: readonly ConfigResource[]; readonly outputs?: Readonly<Record<string, unknown>> } };
  readonly [key: string]: unknown;
}

/** What a plan does to one resource. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'destroy' | 'read';

/** The order of a replacement. */
export type ReplaceOrder = 'create-first' | 'destroy-first';

/** Counts and addresses of a plan, read from Terraform's JSON plan. */
export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly destroy: number;
  /** `address -> what the plan does` for every resource it changes (and data source it reads during apply). */
  readonly actions: Readonly<Record<string, ChangeKind>>;
  /**
   * For replacements, the order: `create-first` (`create_before_destroy`, `["create", "delete"]`)
   * or `destroy-first` (`["delete", "create"]`: the old one goes before the new one exists).
   */
  readonly replaceOrder: Readonly<Record<string, ReplaceOrder>>;
  /** The plan's `resource_changes` as Terraform wrote them (values before and after included). */
  readonly changes: readonly ResourceChange[];
}

/** What `actions` do; undefined for no change (`no-op`) and for `forget` (the object stays, unmanaged). */
export function changeKind(actions: readonly PlanAction[]): { kind: ChangeKind; order?: ReplaceOrder } | undefined {
  switch (actions.join(',')) {
    case 'no-op':
    case 'forget':
      return undefined;
    case 'create':
      return { kind: 'create' };
    case 'update':
      return { kind: 'update' };
    case 'delete':
      return { kind: 'destroy' };
    case 'read':
      return { kind: 'read' };
    case 'delete,create':
      return { kind: 'replace', order: 'destroy-first' };
    case 'create,delete':
      return { kind: 'replace', order: 'create-first' };
    default:
      throw new Error(`unknown Terraform plan actions ${JSON.stringify(actions)}`);
  }
}

/** The summary of a JSON plan; changes to deposed objects are left out (the address is the current object's). */
export function summarizePlan(plan: PlanJson): PlanSummary {
  const actions: Record<string, ChangeKind> = {};
  const replaceOrder: Record<string, ReplaceOrder> = {};
  const changes = plan.resource_changes ?? [];
  for (const c of changes) {
    if (c.deposed !== undefined) continue;
    const kind = changeKind(c.change.actions);
    if (!kind) continue;
    actions[c.address] = kind.kind;
    if (kind.order) replaceOrder[c.address] = kind.order;
  }
  const count = (k: ChangeKind) => Object.values(actions).filter((x) => x === k).length;
  return { create: count('create'), update: count('update'), replace: count('replace'), destroy: count('destroy'), actions, replaceOrder, changes };
}

/** A `terraform plan` run: what Terraform printed, and the saved plan as JSON when it succeeded. */
export interface PlanRun extends RunResult {
  /** The JSON plan (`terraform show -json`), when the plan succeeded. */
  readonly plan?: PlanJson;
}

/**
 * Runs `terraform plan <args> -out=<file>` in `dir` (its human-readable plan in `stdout`, for
 * people), then reads the saved plan with `terraform show -json`. The plan file lives in a
 * temporary directory, removed afterwards (a saved plan holds the planned values, secrets
 * included), unless `keep` names where to save it (`terraform apply <keep>` applies it).
 */
export async function planAndShow(dir: string, args: readonly string[], env: NodeJS.ProcessEnv, keep?: string): Promise<PlanRun> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfplan-'));
  const file = keep ?? path.join(tmp, 'plan.tfplan');
  try {
    const planned = await runTerraform(dir, ['plan', ...args, `-out=${file}`], env);
    if (planned.code !== 0) return planned;
    const shown = await runTerraform(dir, ['show', '-json', '-no-color', file], env);
    if (shown.code !== 0) return { code: shown.code, stdout: planned.stdout, stderr: `${planned.stderr}${shown.stderr}` };
    return { ...planned, plan: JSON.parse(shown.stdout) as PlanJson };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
