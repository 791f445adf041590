/**
 * Every stack of the app, by its public name. `buildApp` validates all settings first and only
 * then builds the stacks, so a bad setting never reaches a construct.
 */
import { Construct } from 'constructs';
import { OverrideSources, StackDefinition, readOverrides, resolveSettings } from '../src/settings';
import { stateBootstrap } from './state-bootstrap';
import { artworkMatcher } from './artwork-matcher';

/** Every stack definition, in synth order. */
export const STACKS: readonly StackDefinition<any, Construct>[] = [
  stateBootstrap,
  artworkMatcher('demo'),
  artworkMatcher('staging'),
  artworkMatcher('production'),
];

/** Public stack names. */
export const STACK_NAMES: readonly string[] = STACKS.map((d) => d.name);

/**
 * Resolves settings from `sources` for every definition (throws `SettingsError` with every problem)
 * and builds the stacks into `app`. `only` restricts which stacks are built (tests use it).
 */
export function buildApp(app: Construct, sources: OverrideSources, only?: readonly string[]): Map<string, unknown> {
  const settings = resolveSettings(STACKS, readOverrides(sources));
  const built = new Map<string, unknown>();
  for (const def of STACKS) {
    if (only && !only.includes(def.name)) continue;
    built.set(def.name, def.create(app, settings.stacks.get(def.name), settings.shared));
  }
  return built;
}
