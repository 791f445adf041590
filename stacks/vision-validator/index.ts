/** The vision-validator stack: its settings (`settings.ts`), its composition (`stack.ts`) and its definition for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT, PREVIEW_AMI, previewNetwork } from '../settings/preview';
import { VISION_VALIDATOR_LEAN, VisionValidatorSettings, visionValidatorDefaults, visionValidatorSchema } from './settings';
import { VISION_VALIDATOR, VisionValidatorStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition. */
export const visionValidator: StackDefinition<VisionValidatorSettings, Construct> = {
  name: VISION_VALIDATOR,
  description: 'Vision Validation plugin: a GPU container service on ECS with g4dn EC2 capacity behind an ALB (document 000)',
  schema: visionValidatorSchema,
  defaults: visionValidatorDefaults(),
  profiles: { lean: VISION_VALIDATOR_LEAN },
  preview: (s) => ({
    accountId: s.accountId ?? PREVIEW_ACCOUNT,
    network: previewNetwork(s.region, s.network),
    gpu: { amiId: s.gpu.amiId ?? PREVIEW_AMI },
  }),
  gates: { 'AWS-ALB-008': ['domain', 'alb.certificateArn'], 'AWS-SNS-004': ['monitoring.alarmEmail', 'monitoring.alarmTopicArn'] },
  create: (app, settings, shared) => new VisionValidatorStack(app, VISION_VALIDATOR, settings, shared),
};
