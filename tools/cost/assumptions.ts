/**
 * The usage a synthesized stack cannot say (GB through a NAT gateway, requests per API, ...), with
 * the defaults `npm run cost` prices and the one-line descriptions it prints under each estimate.
 * Override them with `npm run cost -- --assumptions <file.json>`.
 */
/** Usage the synthesized Terraform cannot say; every usage-driven line names the ones it uses. */
export interface Assumptions {
  /** Hours in a month. */
  readonly hoursPerMonth: number;
  /** GB processed per NAT gateway per month. */
  readonly natGbPerGateway: number;
  /** Average LCUs an Application Load Balancer consumes per hour. */
  readonly albLcuPerHour: number;
  /** Average NLCUs a Network Load Balancer consumes per hour. */
  readonly nlbLcuPerHour: number;
  /** GB processed per interface endpoint per month. */
  readonly interfaceEndpointGbPerEndpoint: number;
  /** GB ingested per CloudWatch log group per month. */
  readonly logIngestGbPerGroup: number;
  /** Months of logs kept by a log group without retention (it would grow for ever). */
  readonly logRetainedMonthsWhenNeverExpire: number;
  /** GB stored per EFS file system (all in Standard). */
  readonly efsGbPerFileSystem: number;
  /** GB of AWS Backup warm storage per EFS file system with backups on. */
  readonly efsBackupGbPerFileSystem: number;
  /** GB of AWS Backup storage per S3 bucket in a backup selection. */
  readonly s3BackupGbPerBucket: number;
  /** GB stored per S3 bucket (Standard; requests and transfer not priced). */
  readonly s3GbPerBucket: number;
  /** GB of images stored per ECR repository. */
  readonly ecrGbPerRepository: number;
  /** Write request units per on-demand DynamoDB table per month. */
  readonly dynamodbWritesPerTable: number;
  /** Read request units per on-demand DynamoDB table per month. */
  readonly dynamodbReadsPerTable: number;
  /** GB stored per DynamoDB table. */
  readonly dynamodbGbPerTable: number;
  /** Requests per SQS queue per month (dead-letter queues: none). */
  readonly sqsRequestsPerQueue: number;
  /** Publishes per SNS topic per month. */
  readonly snsPublishesPerTopic: number;
  /** KMS requests per month per resource a customer managed key encrypts. */
  readonly kmsRequestsPerEncryptedResource: number;
  /** Invocations per Lambda function per month. */
  readonly lambdaInvocationsPerFunction: number;
  /** Average duration of one invocation, ms. */
  readonly lambdaAvgDurationMs: number;
  /** Requests per API Gateway API per month. */
  readonly apiRequestsPerApi: number;
  /** Requests per WAF web ACL per month. */
  readonly wafRequestsPerAcl: number;
  /** Fraction of traced requests X-Ray records (the default rule: 1/s plus 5%). */
  readonly xraySampledFraction: number;
  /** DNS queries per public Route 53 hosted zone per month. */
  readonly route53QueriesPerZone: number;
  /** Container Insights metrics per cluster with running tasks (cluster dimension). */
  readonly containerInsightsMetricsPerCluster: number;
  /** Container Insights metrics per service with running tasks (service and task family dimensions). */
  readonly containerInsightsMetricsPerService: number;
  /** GB of Container Insights performance log events per running task per month. */
  readonly containerInsightsLogGbPerTask: number;
  /** GB of memory per vCPU of a Fargate Batch compute environment. */
  readonly batchFargateGbPerVcpu: number;
  /** GB served per CloudFront distribution per month. */
  readonly cloudfrontGbPerDistribution: number;
  /** HTTPS requests per CloudFront distribution per month. */
  readonly cloudfrontRequestsPerDistribution: number;
  /**
   * EC2 Spot discount off on-demand, by instance family (`*` for the others): Spot prices move
   * hourly; these are typical savings the Spot Instance Advisor shows for the family.
   */
  readonly spotDiscount: Readonly<Record<string, number>>;
  /**
   * Subtract the account's monthly free tier (3 dashboards, 10 alarm metrics, 10 custom metrics,
   * 5 GB of logs, Lambda 1M requests and 400,000 GB-s, SQS and SNS 1M, X-Ray 100,000 traces, two
   * budgets) from this stack's lines. Off by default: the free tier is the account's, and the
   * account's other stacks use it too.
   */
  readonly applyFreeTier: boolean;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  hoursPerMonth: 730,
  natGbPerGateway: 100,
  albLcuPerHour: 1,
  nlbLcuPerHour: 1,
  interfaceEndpointGbPerEndpoint: 10,
  logIngestGbPerGroup: 5,
  logRetainedMonthsWhenNeverExpire: 12,
  efsGbPerFileSystem: 20,
  efsBackupGbPerFileSystem: 20,
  s3BackupGbPerBucket: 20,
  s3GbPerBucket: 20,
  ecrGbPerRepository: 5,
  dynamodbWritesPerTable: 1_000_000,
  dynamodbReadsPerTable: 5_000_000,
  dynamodbGbPerTable: 1,
  sqsRequestsPerQueue: 1_000_000,
  snsPublishesPerTopic: 100_000,
  kmsRequestsPerEncryptedResource: 10_000,
  lambdaInvocationsPerFunction: 1_000_000,
  lambdaAvgDurationMs: 200,
  apiRequestsPerApi: 1_000_000,
  wafRequestsPerAcl: 1_000_000,
  xraySampledFraction: 0.05,
  route53QueriesPerZone: 1_000_000,
  containerInsightsMetricsPerCluster: 8,
  containerInsightsMetricsPerService: 22,
  containerInsightsLogGbPerTask: 0.1,
  batchFargateGbPerVcpu: 2,
  cloudfrontGbPerDistribution: 100,
  cloudfrontRequestsPerDistribution: 10_000_000,
  spotDiscount: { g4dn: 0.65, g5: 0.6, g6: 0.6, g6e: 0.55, p3: 0.7, '*': 0.6 },
  applyFreeTier: false,
};

export type AssumptionKey = keyof Assumptions;

/** One-line descriptions of the assumptions, as printed under each table. */
export const ASSUMPTION_DOCS: Readonly<Record<AssumptionKey, string>> = {
  hoursPerMonth: 'hours in a month',
  natGbPerGateway: 'GB processed per NAT gateway per month (internet egress is not priced)',
  albLcuPerHour: 'average LCUs per ALB per hour',
  nlbLcuPerHour: 'average NLCUs per NLB per hour',
  interfaceEndpointGbPerEndpoint: 'GB processed per interface endpoint per month',
  logIngestGbPerGroup: 'GB ingested per log group per month (storage: that times the retention in months, uncompressed)',
  logRetainedMonthsWhenNeverExpire: 'months of logs a log group without retention is assumed to hold',
  efsGbPerFileSystem: 'GB per EFS file system, all in Standard (throughput charges not priced)',
  efsBackupGbPerFileSystem: 'GB of AWS Backup warm storage per EFS file system with backups on (EFS backup policy or backup selection)',
  s3BackupGbPerBucket: 'GB of AWS Backup storage per S3 bucket in a backup selection (GET requests not priced)',
  s3GbPerBucket: 'GB in S3 Standard per bucket, the same for every bucket (requests and transfer not priced)',
  ecrGbPerRepository: 'GB of images per ECR repository',
  dynamodbWritesPerTable: 'write request units per on-demand DynamoDB table per month',
  dynamodbReadsPerTable: 'read request units per on-demand DynamoDB table per month',
  dynamodbGbPerTable: 'GB stored per DynamoDB table',
  sqsRequestsPerQueue: 'requests per SQS queue per month (dead-letter queues: none); the account free tier is 1M',
  snsPublishesPerTopic: 'publishes per SNS topic per month (deliveries not priced); the account free tier is 1M',
  kmsRequestsPerEncryptedResource: 'KMS requests per month per resource a customer managed key encrypts (a log group, secret, function, topic, queue, bucket, table, file system or repository: data keys and decrypts); the account free tier is 20,000',
  lambdaInvocationsPerFunction: 'invocations per Lambda function per month',
  lambdaAvgDurationMs: 'average Lambda duration, ms',
  apiRequestsPerApi: 'requests per API Gateway API per month',
  wafRequestsPerAcl: 'requests per WAF web ACL per month',
  xraySampledFraction: 'fraction of traced requests X-Ray records',
  route53QueriesPerZone: 'DNS queries per public hosted zone per month',
  containerInsightsMetricsPerCluster: 'Container Insights metrics per cluster with running tasks (custom metric rate)',
  containerInsightsMetricsPerService: 'Container Insights metrics per service with running tasks (service and task family dimensions)',
  containerInsightsLogGbPerTask: 'GB of Container Insights performance events per running task per month',
  batchFargateGbPerVcpu: 'GB of memory per vCPU of a Fargate Batch compute environment',
  cloudfrontGbPerDistribution: 'GB served per CloudFront distribution per month',
  cloudfrontRequestsPerDistribution: 'HTTPS requests per CloudFront distribution per month',
  spotDiscount: `EC2 Spot discount off on-demand by family (typical Spot Instance Advisor savings; Spot prices move hourly)`,
  applyFreeTier: 'subtract the account free tier from this stack (off: other stacks of the account use it)',
};

/** Merges `overrides` into the default assumptions (`spotDiscount` by family). */
export function resolveAssumptions(overrides: Partial<Assumptions> = {}): Assumptions {
  return { ...DEFAULT_ASSUMPTIONS, ...overrides, spotDiscount: { ...DEFAULT_ASSUMPTIONS.spotDiscount, ...(overrides.spotDiscount ?? {}) } };
}
