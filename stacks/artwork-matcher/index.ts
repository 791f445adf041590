/** The three artwork-matcher stacks: their settings (`settings.ts`), their composition (`stack.ts`) and their definitions for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT, PREVIEW_AMI, PREVIEW_PREFIX_LIST, previewNetwork } from '../settings/preview';
import { ARTWORK_SERVICES, ArtworkEnvironment, ArtworkMatcherSettings, artworkMatcherDefaults, artworkMatcherSchema, ignoredWhileOff } from './settings';
import { ArtworkMatcherStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition of one environment. */
export function artworkMatcher(env: ArtworkEnvironment): StackDefinition<ArtworkMatcherSettings, Construct> {
  const name = `artwork-matcher-${env}`;
  return {
    name,
    description: `Artwork Matcher (${env}): four microservices on ECS behind an ALB (document 004)`,
    schema: artworkMatcherSchema(env),
    defaults: artworkMatcherDefaults(env),
    preview: (s) => ({
      accountId: s.accountId ?? PREVIEW_ACCOUNT,
      network: previewNetwork(s.region, s.network),
      ...(ARTWORK_SERVICES.some((n) => s.services[n].gpu) ? { gpu: { amiId: s.gpu.amiId ?? PREVIEW_AMI } } : {}),
      ...(s.cloudfront.enabled ? { cloudfront: { originFacingPrefixListId: s.cloudfront.originFacingPrefixListId ?? PREVIEW_PREFIX_LIST } } : {}),
    }),
    // The deploy role plans and applies this stack's state: a local state file has no one to share it with.
    validateShared: (settings, shared) => [
      ...(settings.cicd && !shared.remoteState ? [{ path: 'cicd', message: 'needs remote state (the deploy role reads and writes the state in S3); give remoteState in the shared settings, or remove cicd' }] : []),
      ...ignoredWhileOff(settings, artworkMatcherDefaults(env)),
    ],
    gates: { 'AWS-ALB-008': ['domain', 'alb.certificateArn', 'cloudfront.enabled'], 'AWS-SNS-004': ['monitoring.alarmEmail', 'monitoring.alarmTopicArn'] },
    create: (app, settings, shared) => new ArtworkMatcherStack(app, name, env, settings, shared),
  };
}
