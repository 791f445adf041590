/**
 * `npm run docs [-- --check]`: writes `docs/stacks/<stack>.generated.md` for every stack (see
 * ./page.ts for what a page holds) from the code: the settings schemas and defaults through the
 * stack registry (`stacks/index.ts`), two synths of the app (default settings, and with a remote
 * state) and the cost estimate. `--check` writes nothing and fails when a page differs (the test
 * does the same), so the pages cannot drift from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { estimate } from '../cost/estimate';
import { PRICES_AS_OF } from '../cost/prices';
import { StackModel } from '../model';
import { installFastPath, synthesizeInMemory } from '../synth';
import { asDeployed, stacksWithoutImages } from '../synth/deployed';
import { writeGenerated } from '../generated';
import type { SettingsOverrides } from '../../stacks/settings';
import { STACKS, STACK_NAMES, buildApp, resolveAppSettings } from '../../stacks';
import { StackFacts, settingRows, stackPage } from './page';

/** Where the pages live, relative to the project root. */
export const PAGES_DIR = 'docs/stacks';

/** The page of `stack`, relative to the project root. */
export const pageFile = (stack: string): string => `${PAGES_DIR}/${stack}.generated.md`;

/** A remote state for the synth that reads each stack's state key (any valid bucket gives the same keys). */
const EXAMPLE_REMOTE_STATE = { bucket: 'example-terraform-state', region: 'eu-west-1' };

/** Every stack's synthesized document (and construct) with `overrides`, look-ups pinned. */
function synthAll(overrides: SettingsOverrides): Map<string, { stack: TerraformStack; document: Record<string, any> }> {
  installFastPath();
  const app = Testing.app();
  try {
    const built = buildApp(app, { context: overrides }, { preview: true });
    return new Map(STACK_NAMES.map((n) => [n, { stack: built.get(n) as TerraformStack, document: synthesizeInMemory(built.get(n) as TerraformStack).document }]));
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true }); // the empty temporary directory Testing.app makes
  }
}

/** What each stack's page says, read from the code. */
export function stackFacts(): StackFacts[] {
  const defaults = resolveAppSettings({}).stacks;
  const deployed = synthAll(asDeployed({}, stacksWithoutImages({}, STACK_NAMES)));
  const remote = synthAll({ remoteState: EXAMPLE_REMOTE_STATE });
  return STACKS.map((def) => {
    const { stack, document } = deployed.get(def.name)!;
    const priced = estimate(StackModel.fromStack(stack, document));
    const backend = (doc: Record<string, any>) => doc.terraform?.backend ?? {};
    return {
      name: def.name,
      description: def.description,
      settings: settingRows(def.schema, defaults.get(def.name)),
      outputs: document.output ?? {},
      localState: backend(document).local?.path && path.basename(backend(document).local.path),
      remoteStateKey: backend(remote.get(def.name)!.document).s3?.key,
      cost: { pricesAsOf: PRICES_AS_OF, floor: priced.floor, ceiling: priced.ceiling, currency: 'USD' },
    };
  });
}

/** The pages, by path relative to the project root. */
export function generatedPages(): Record<string, string> {
  return Object.fromEntries(stackFacts().map((f) => [pageFile(f.name), stackPage(f)]));
}

function main(): number {
  return writeGenerated(generatedPages(), 'npm run docs', process.argv.includes('--check'));
}

if (require.main === module) process.exitCode = main();
