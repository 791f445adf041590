/**
 * Every stack of the app, by its public name. `buildApp` validates the settings first (every
 * stack's, or with `only` the selected stacks' and the shared ones) and only then builds the
 * stacks, so a bad setting never reaches a construct.
 */
import { Construct } from 'constructs';
import { UserError } from '../src/core/errors';
import { OverrideSources, ResolvedSettings, SettingsError, SettingsOverrides, StackDefinition, deepMerge, formatIssues, readOverrides, resolveSettings, stackSuggestion } from './settings';
import { githubOidcProviderArn } from '../src/security/github-oidc';
import { Guardrails } from '../src/core/suppressions';
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
  /**
   * Build only these stacks: only their settings and the shared ones are validated, so a bad
   * setting of another stack does not stop them. @default - every stack
   */
  readonly only?: readonly string[];
  /**
   * Pin every plan-time look-up (each stack's `preview`), for a plan without credentials.
   * @default false
   */
  readonly preview?: boolean;
}

/**
 * Resolves the settings of every stack, with the preview pins when asked. With `only`, the other
 * stacks' overrides are left out (those stacks resolve to their defaults), so only the selected
 * stacks' settings and the shared ones are checked; a section naming no stack is still reported.
 */
export function resolveAppSettings(overrides: SettingsOverrides, preview = false, only?: readonly string[]): ResolvedSettings {
  const scoped = only ? selectStacks(overrides, only) : overrides;
  const resolved = resolveSettings(STACKS, scoped);
  // What one account holds once is checked against every stack's settings when they are valid.
  checkAcrossStacks(only ? (resolvedIfValid(overrides) ?? resolved) : resolved, only);
  if (!preview) return resolved;
  const stacks: Record<string, unknown> = { ...(scoped.stacks ?? {}) };
  for (const def of STACKS) {
    if (def.preview) stacks[def.name] = deepMerge(stacks[def.name] ?? {}, def.preview(resolved.stacks.get(def.name)));
  }
  return resolveSettings(STACKS, { ...scoped, stacks });
}

/** `overrides` without the sections of the stacks not in `only` (sections naming no stack stay, to be reported). */
function selectStacks(overrides: SettingsOverrides, only: readonly string[]): SettingsOverrides {
  if (overrides.stacks === undefined) return overrides;
  return { ...overrides, stacks: Object.fromEntries(Object.entries(overrides.stacks).filter(([name]) => only.includes(name) || !STACK_NAMES.includes(name))) };
}

/** Every stack's settings, or undefined when some stack's are invalid. */
function resolvedIfValid(overrides: SettingsOverrides): ResolvedSettings | undefined {
  try {
    return resolveSettings(STACKS, overrides);
  } catch (e) {
    if (e instanceof SettingsError) return undefined;
    throw e;
  }
}

/** Throws a `UserError` naming the first of `names` that is no stack of the app. */
function checkStackNames(names: readonly string[]): void {
  const unknown = names.find((n) => !STACK_NAMES.includes(n));
  if (unknown !== undefined) throw new UserError(`unknown stack ${JSON.stringify(unknown)}${stackSuggestion(unknown, STACK_NAMES)}; stacks: ${STACK_NAMES.join(', ')}`);
}

/**
 * Resolves settings from `sources` (throws `SettingsError` with every problem; a `UserError` for a
 * name in `only` that is no stack) and builds the stacks into `app`.
 */
export function buildApp(app: Construct, sources: OverrideSources, options: BuildOptions = {}): Map<string, unknown> {
  if (options.only) checkStackNames(options.only);
  const settings = resolveAppSettings(readOverrides(sources), options.preview, options.only);
  const built = new Map<string, unknown>();
  for (const def of STACKS) {
    if (options.only && !options.only.includes(def.name)) continue;
    const stackSettings = settings.stacks.get(def.name);
    const stack = def.create(app, stackSettings, settings.shared);
    if (stack instanceof Construct) recordGate(stack, def, stackSettings);
    built.set(def.name, stack);
  }
  return built;
}

/**
 * Records on a built stack what the production gate shows: the settings that close each gate
 * rule's findings (the definition's `gates`), and the acceptances of `guardrails.accept`.
 */
function recordGate(stack: Construct, def: StackDefinition<unknown, Construct>, settings: unknown): void {
  for (const [rule, paths] of Object.entries(def.gates ?? {})) Guardrails.closeWith(stack, rule, paths.map((p) => `stacks.${def.name}.${p}`).join(' or '));
  const accept = (settings as { guardrails?: { accept?: Record<string, string> } } | undefined)?.guardrails?.accept ?? {};
  for (const [rule, reason] of Object.entries(accept)) Guardrails.accept(stack, rule, reason);
}

/**
 * What one account holds once, across stacks: the GitHub OIDC provider. Two artwork-matcher
 * environments with `cicd` in one account would both create it, and the second apply would fail
 * with EntityAlreadyExists. (Stacks with different `accountId`s are different accounts; stacks
 * that look their account up are taken to share it.) With `only`, problems of the selected stacks.
 */
function checkAcrossStacks(resolved: ResolvedSettings, only?: readonly string[]): void {
  const creators = new Map<string, string[]>();
  for (const env of ARTWORK_ENVIRONMENTS) {
    const name = `artwork-matcher-${env}`;
    const s = resolved.stacks.get(name) as ArtworkMatcherSettings | undefined;
    if (!s?.cicd || s.cicd.oidcProviderArn) continue;
    const account = s.accountId ?? '';
    creators.set(account, [...(creators.get(account) ?? []), name]);
  }
  const issues = [...creators].filter(([, names]) => names.length > 1).flatMap(([account, [first, ...rest]]) =>
    rest.filter((name) => !only || only.includes(name)).map((name) => ({
      path: `stacks.${name}.cicd.oidcProviderArn`,
      message: `is not set, so this stack would create the account's GitHub OIDC provider that ${first} creates too (one per account: the second apply fails with EntityAlreadyExists); set it to ${JSON.stringify(githubOidcProviderArn(account || '<account>'))}`,
    })),
  );
  if (issues.length > 0) throw new SettingsError(formatIssues('invalid settings:', issues));
}
