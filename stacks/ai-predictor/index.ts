/** The ai-predictor stack: its settings (`settings.ts`), its composition (`stack.ts`) and its definition for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT, previewNetwork } from '../settings/preview';
import { AI_PREDICTOR_LEAN, AiPredictorSettings, aiPredictorDefaults, aiPredictorSchema } from './settings';
import { AI_PREDICTOR, AiPredictorStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition. */
export const aiPredictor: StackDefinition<AiPredictorSettings, Construct> = {
  name: AI_PREDICTOR,
  description: 'AI Predictor backend: FastAPI on Fargate Spot behind an HTTP API and VPC link, no NAT gateway (document 001)',
  schema: aiPredictorSchema,
  defaults: aiPredictorDefaults,
  profiles: { lean: AI_PREDICTOR_LEAN },
  preview: (s) => ({
    accountId: s.accountId ?? PREVIEW_ACCOUNT,
    network: previewNetwork(s.region, s.network),
  }),
  gates: { 'AWS-SNS-004': ['monitoring.alarmEmail', 'monitoring.alarmTopicArn'] },
  create: (app, settings, shared) => new AiPredictorStack(app, AI_PREDICTOR, settings, shared),
};
