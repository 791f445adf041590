/**
 * Plans a CHANGE offline: what the real provider would do to a deployed stack when the code
 * changes. The first stack is planned, the state applying that plan leaves is seeded from it
 * (`tools/terraform/seed.ts`, as `npm run plan -- <stack> --from ...` does), and the second stack
 * is planned against that state without refreshing. Terraform and the provider then decide, as
 * they would on the tenth apply, which resources are updated in place, which are replaced, and in
 * which order (`create_before_destroy` shows as `+/-`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { sharedProviderInstall, terraformEnv } from '../../tools/terraform/cli';
import type { PlanSummary } from '../../tools/terraform/plan';
import { planAndSettle, writeState } from '../../tools/terraform/seed';
import { savedPlan, writeStack } from './terraform';

/** The offline plan arguments of every change plan. */
const PLAN_ARGS = ['-refresh=false', '-lock=false', '-input=false', '-no-color'];

/** The plan of changing `before` into `after` (same stack name), offline. */
export async function planChange(before: TerraformStack, after: TerraformStack): Promise<PlanSummary> {
  const { dataDir, lockFile } = await sharedProviderInstall();
  const env = terraformEnv({ preview: true, dataDir });
  const first = writeStack(before, 'json');
  fs.copyFileSync(lockFile, path.join(first.dir, '.terraform.lock.hcl'));
  const { state } = await planAndSettle(first.dir, PLAN_ARGS, env);

  const second = writeStack(after, 'json');
  fs.copyFileSync(lockFile, path.join(second.dir, '.terraform.lock.hcl'));
  writeState(second.dir, state);
  return savedPlan(second.dir, PLAN_ARGS, env);
}
