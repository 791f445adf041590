/**
 * Offline previews (`npm run plan` without credentials): a synthesized stack planned by the real
 * Terraform and AWS provider with fake credentials and a throw-away local state (`cli.ts`), either
 * as a first apply, or as a CHANGE: planned against the state the `--from` settings leave, seeded
 * from their plan (`seed.ts`, the same seeding the journey tests use). The summary of a preview
 * names the image tags it deploys and every breach of the journey test's rules (`risks.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { awsProviderAliases, placeholderVariables, previewOverride, sharedProviderInstall, terraformEnv } from './cli';
import { PlanJson, PlanRun, PlanSummary, planAndShow } from './plan';
import { planRisks } from './risks';
import { planAndSettle, writeState } from './seed';

/** The synthesized stack document, as far as a preview reads it. */
interface PreviewDocument {
  readonly variable?: Record<string, { readonly default?: unknown }>;
  readonly provider?: Record<string, Record<string, unknown>[]>;
}

/**
 * Makes a synthesized stack's directory plannable offline: the shared provider install's lock
 * file, and the preview override (local state, skip flags on every AWS provider). Returns the
 * environment and the plan arguments (placeholders for required sensitive variables).
 */
export async function preparePreview(dir: string): Promise<{ env: NodeJS.ProcessEnv; args: string[] }> {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as PreviewDocument;
  const { dataDir, lockFile } = await sharedProviderInstall();
  fs.copyFileSync(lockFile, path.join(dir, '.terraform.lock.hcl'));
  fs.writeFileSync(path.join(dir, 'preview_override.tf.json'), JSON.stringify(previewOverride(awsProviderAliases(doc)), null, 2));
  const vars = Object.entries(placeholderVariables(doc)).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
  return { env: terraformEnv({ preview: true, dataDir }), args: ['-input=false', '-no-color', '-refresh=false', '-lock=false', ...vars] };
}

/**
 * The offline plan of changing a deployed stack from the configuration in `beforeDir` to the one
 * in `afterDir`: `beforeDir` is planned as a first apply and the state that apply leaves is
 * seeded and settled; `afterDir` is planned against it.
 */
export async function previewChange(beforeDir: string, afterDir: string): Promise<PlanRun> {
  const before = await preparePreview(beforeDir);
  const { state } = await planAndSettle(beforeDir, before.args, before.env);
  const after = await preparePreview(afterDir);
  writeState(afterDir, state);
  return planAndShow(afterDir, after.args, after.env);
}

/** `image_tag` per service of an `ecs_services` output value. */
function tagsOf(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, { image_tag?: unknown }>).map(([service, s]) => [service, String(s?.image_tag ?? '?')]));
}

/**
 * The image tags a plan deploys, read from the `ecs_services` output (its `image_tag`s are known
 * at plan time): `none -> a1b2c3d (gateway, search)`, grouped by change; `a1b2c3d (gateway)` for
 * a tag the plan keeps. Empty for a stack without ECS services.
 */
export function imageTags(plan: PlanJson): string[] {
  const change = plan.output_changes?.ecs_services;
  const after = tagsOf(change ? change.after : plan.planned_values?.outputs?.ecs_services?.value);
  const before = tagsOf(change?.before);
  const groups = new Map<string, string[]>();
  for (const [service, tag] of Object.entries(after)) {
    const was = before[service];
    const key = was === undefined || was === tag ? tag : `${was} -> ${tag}`;
    groups.set(key, [...(groups.get(key) ?? []), service]);
  }
  return [...groups].map(([key, services]) => `${key} (${services.join(', ')})`);
}

/**
 * The summary of a preview, one line each: the image tags it deploys, the stateful resources it
 * replaces or destroys, the serving ones it destroys or replaces destroy-first.
 */
export function previewSummary(plan: PlanJson, summary: PlanSummary): string[] {
  const risks = planRisks(summary);
  const tags = imageTags(plan);
  return [
    ...(tags.length > 0 ? [`image tags: ${tags.join('; ')}`] : []),
    `stateful resources replaced or destroyed (data lost): ${risks.stateful.length > 0 ? risks.stateful.join(', ') : 'none'}`,
    `serving resources destroyed or replaced destroy-first (traffic fails meanwhile): ${risks.serving.length > 0 ? risks.serving.join(', ') : 'none'}`,
  ];
}
