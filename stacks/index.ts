/**
 * Every stack of the app, by its public name. `buildApp` validates all settings first and only
 * then builds the stacks, so a bad setting never reaches a construct.
 */
import { Construct } from 'constructs';
import { OverrideSources, ResolvedSettings, SettingsError, SettingsOverrides, StackDefinition, deepMerge, formatIssues, readOverrides, resolveSettings } from './settings';
import { githubOidcProviderArn } from '../src/security/github-oidc';
import { stateBootstrap } from './state-bootstrap';
import { ARTWORK_ENVIRONMENTS, ArtworkMatcherSettings, artworkMatcher } from './artwork-matcher';
import { visionValidator } from './vision-validator';
import { karmacadabra } from './karmacadabra';
import { aiPredictor } from './ai-predictor';
import { nutritionVideoAnalysis } from './nutrition-video-analysis';

/** Every stack definition, in synth order. */
export const STACKS: readonly StackDefinition<any, Construct>[] = [
  stateBootstrap,
  artworkMatcher('demo'),
  artworkMatcher('staging'),
  artworkMatcher('production'),
  visionValidator,
  karmacadabra,
  aiPredictor,
  nutritionVideoAnalysis,
];

/** Public stack names. */
export const STACK_NAMES: readonly string[] = STACKS.map((d) => d.name);

export interface BuildOptions {
  /** Build only these stacks (all settings are still validated). @default - every stack */
  readonly only?: readonly string[];
  /**
   * Pin every plan-time look-up (each stack's `preview`), for a plan without credentials.
   * @default false
   */
  readonly preview?: boolean;
}

/** Resolves the settings of every stack, with the preview pins when asked. */
export function resolveAppSettings(overrides: SettingsOverrides, preview = false): ResolvedSettings {
  const resolved = resolveSettings(STACKS, overrides);
  checkAcrossStacks(resolved);
  if (!preview) return resolved;
  const stacks: Record<string, unknown> = { ...(overrides.stacks ?? {}) };
  for (const def of STACKS) {
    if (def.preview) stacks[def.name] = deepMerge(stacks[def.name] ?? {}, def.preview(resolved.stacks.get(def.name)));
  }
  return resolveSettings(STACKS, { ...overrides, stacks });
}

/**
 * Resolves settings from `sources` for every definition (throws `SettingsError` with every
 * problem) and builds the stacks into `app`.
 */
export function buildApp(app: Construct, sources: OverrideSources, options: BuildOptions = {}): Map<string, unknown> {
  const settings = resolveAppSettings(readOverrides(sources), options.preview);
  const built = new Map<string, unknown>();
  for (const def of STACKS) {
    if (options.only && !options.only.includes(def.name)) continue;
    built.set(def.name, def.create(app, settings.stacks.get(def.name), settings.shared));
  }
  return built;
}

/**
 * What one account holds once, across stacks: the GitHub OIDC provider. Two artwork-matcher
 * environments with `cicd` in one account would both create it, and the second apply would fail
 * with EntityAlreadyExists. (Stacks with different `accountId`s are different accounts; stacks
 * that look their account up are taken to share it.)
 */
function checkAcrossStacks(resolved: ResolvedSettings): void {
  const creators = new Map<string, string[]>();
  for (const env of ARTWORK_ENVIRONMENTS) {
    const name = `artwork-matcher-${env}`;
    const s = resolved.stacks.get(name) as ArtworkMatcherSettings | undefined;
    if (!s?.cicd || s.cicd.oidcProviderArn) continue;
    const account = s.accountId ?? '';
    creators.set(account, [...(creators.get(account) ?? []), name]);
  }
  const issues = [...creators].filter(([, names]) => names.length > 1).flatMap(([account, [first, ...rest]]) =>
    rest.map((name) => ({
      path: `stacks.${name}.cicd.oidcProviderArn`,
      message: `is not set, so this stack would create the account's GitHub OIDC provider that ${first} creates too (one per account: the second apply fails with EntityAlreadyExists); set it to ${JSON.stringify(githubOidcProviderArn(account || '<account>'))}`,
    })),
  );
  if (issues.length > 0) throw new SettingsError(formatIssues('invalid settings:', issues));
}
