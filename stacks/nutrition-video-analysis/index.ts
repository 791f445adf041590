/** The nutrition-video-analysis stack: its settings (`settings.ts`), its composition (`stack.ts`) and its definition for the app. */
import type { Construct } from 'constructs';
import type { StackDefinition } from '../settings';
import { PREVIEW_ACCOUNT, previewNetwork } from '../settings/preview';
import { NUTRITION_VIDEO_ANALYSIS_LEAN, NutritionVideoAnalysisSettings, nutritionVideoAnalysisDefaults, nutritionVideoAnalysisSchema } from './settings';
import { NUTRITION_VIDEO_ANALYSIS, NutritionVideoAnalysisStack } from './stack';

export * from './settings';
export * from './stack';

/** The stack definition. */
export const nutritionVideoAnalysis: StackDefinition<NutritionVideoAnalysisSettings, Construct> = {
  name: NUTRITION_VIDEO_ANALYSIS,
  description: 'Nutrition Video Analysis: API Gateway, 4 Lambda functions, SQS, SNS, DynamoDB, S3, EFS, KMS, a Fargate worker on queue depth and AWS Batch GPU spot jobs (document 002)',
  schema: nutritionVideoAnalysisSchema,
  defaults: nutritionVideoAnalysisDefaults(),
  profiles: { lean: NUTRITION_VIDEO_ANALYSIS_LEAN },
  preview: (s) => ({
    accountId: s.accountId ?? PREVIEW_ACCOUNT,
    network: previewNetwork(s.region, s.network),
  }),
  gates: { 'AWS-SNS-004': ['notificationEmail'], 'AWS-API-008': ['budget.stopUploadsAtLimit', 'enableApiKey'] },
  create: (app, settings, shared) => new NutritionVideoAnalysisStack(app, NUTRITION_VIDEO_ANALYSIS, settings, shared),
};
