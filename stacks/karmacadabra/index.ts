/** The karmacadabra stack: its settings (`settings.ts`), its composition (`stack.ts`) and its definition for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT, previewNetwork } from '../settings/preview';
import { KARMACADABRA_LEAN, KarmacadabraSettings, karmacadabraDefaults, karmacadabraSchema } from './settings';
import { KARMACADABRA, KarmacadabraStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition. */
export const karmacadabra: StackDefinition<KarmacadabraSettings, Construct> = {
  name: KARMACADABRA,
  description: 'Karmacadabra: five AI agents on Fargate Spot behind one path-routed ALB, with Service Connect (document 003)',
  schema: karmacadabraSchema,
  defaults: karmacadabraDefaults(),
  profiles: { lean: KARMACADABRA_LEAN },
  preview: (s) => ({ accountId: s.accountId ?? PREVIEW_ACCOUNT, network: previewNetwork(s.region, s.network) }),
  gates: { 'AWS-ALB-008': ['domain', 'alb.certificateArn'], 'AWS-SNS-004': ['monitoring.alarmEmail', 'monitoring.alarmTopicArn'] },
  create: (app, settings, shared) => new KarmacadabraStack(app, KARMACADABRA, settings, shared),
};
