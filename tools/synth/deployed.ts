/**
 * Stacks as deployed: a stack with an `imageTag` setting keeps its services at 0 tasks until the
 * tag is set (its images are pushed). `npm run cost` says which stacks it priced that way and,
 * with `--deployed`, prices them with a tag; the pictures (`npm run diagrams`) are drawn with one,
 * so they show the task ranges as configured.
 */
import type { TSchema } from '@sinclair/typebox';
import type { SettingsOverrides } from '../../stacks/settings';
import { STACKS, resolveAppSettings } from '../../stacks';

/** The tag set where `imageTag` is unset: any valid tag gives the same resources (synth reads no repository). */
export const DEPLOYED_IMAGE_TAG = 'deployed';

/** Whether a stack's settings have an `imageTag`. */
function takesImageTag(schema: TSchema): boolean {
  return (schema as { properties?: Record<string, unknown> }).properties?.imageTag !== undefined;
}

/** Of `names`, the stacks whose services wait at 0 tasks because `overrides` leave their `imageTag` unset. */
export function stacksWithoutImages(overrides: SettingsOverrides, names: readonly string[]): string[] {
  const resolved = resolveAppSettings(overrides, false, names);
  return STACKS.filter((d) => names.includes(d.name) && takesImageTag(d.schema) && (resolved.stacks.get(d.name) as { imageTag?: string }).imageTag === undefined).map((d) => d.name);
}

/** `overrides` with `imageTag` set to `DEPLOYED_IMAGE_TAG` for each of `names` (stacks that leave it unset). */
export function asDeployed(overrides: SettingsOverrides, names: readonly string[]): SettingsOverrides {
  const stacks: Record<string, unknown> = { ...(overrides.stacks ?? {}) };
  for (const name of names) stacks[name] = { ...((stacks[name] as Record<string, unknown> | undefined) ?? {}), imageTag: DEPLOYED_IMAGE_TAG };
  return { ...overrides, stacks };
}
