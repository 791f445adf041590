/**
 * The dated price table of `npm run cost`: AWS list prices (USD, on-demand, Linux, no tax, no
 * free tier, no Savings Plans or reservations) for the regions the stacks use.
 *
 * Every entry names the AWS pricing page it belongs to (`source`) and how it was checked (`check`):
 * - `aws-page`: the figure appears on an AWS page (pricing page, documentation or whitepaper).
 * - `price-list`: the figure is in an extract of the AWS Price List API (`pricing:GetProducts`)
 *   generated on 2026-09-21 (github.com/xbill9/zombiescan, src/zombiescan/pricing/table.json).
 * - `third-party`: the figure is quoted by a third-party write-up citing the AWS page; `note` says which.
 * - `unconfirmed`: AWS renders most regional rates with JavaScript, so the stored copies of its
 *   pages hold no figure for this region; the value is the best-known list price and must be
 *   checked on the `source` page (or with the AWS Pricing Calculator) before it is relied on.
 *
 * To update: change the figure, its `check`, and `PRICES_AS_OF`.
 */

/** The date this table was compiled. */
export const PRICES_AS_OF = '2026-11-23';

/** How an entry was checked; see the file comment. */
export type PriceCheck = 'aws-page' | 'price-list' | 'third-party' | 'unconfirmed';

/** One unit price. */
export interface Price {
  /** USD per `per`. */
  readonly usd: number;
  /** The unit the price is for ("hour", "GB-month", "1M requests", ...). */
  readonly per: string;
  /** The AWS pricing page of the figure. */
  readonly source: string;
  readonly check: PriceCheck;
  readonly note?: string;
}

/** AWS pricing pages. */
export const SOURCES = {
  fargate: 'https://aws.amazon.com/fargate/pricing/',
  vpc: 'https://aws.amazon.com/vpc/pricing/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  privatelink: 'https://aws.amazon.com/privatelink/pricing/',
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  spotAdvisor: 'https://aws.amazon.com/ec2/spot/instance-advisor/',
  ebs: 'https://aws.amazon.com/ebs/pricing/',
  efs: 'https://aws.amazon.com/efs/pricing/',
  backup: 'https://aws.amazon.com/backup/pricing/',
  s3: 'https://aws.amazon.com/s3/pricing/',
  ecr: 'https://aws.amazon.com/ecr/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  kms: 'https://aws.amazon.com/kms/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
  waf: 'https://aws.amazon.com/waf/pricing/',
  route53: 'https://aws.amazon.com/route53/pricing/',
  cloudMap: 'https://aws.amazon.com/cloud-map/pricing/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  apiGateway: 'https://aws.amazon.com/api-gateway/pricing/',
  dynamodbOnDemand: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  dynamodbProvisioned: 'https://aws.amazon.com/dynamodb/pricing/provisioned/',
  sqs: 'https://aws.amazon.com/sqs/pricing/',
  sns: 'https://aws.amazon.com/sns/pricing/',
  xray: 'https://aws.amazon.com/xray/pricing/',
  budgets: 'https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/',
  cloudfront: 'https://aws.amazon.com/cloudfront/pricing/',
  elasticache: 'https://aws.amazon.com/elasticache/pricing/',
} as const;

/** Unit prices of one region. */
export interface RegionPrices {
  readonly fargate: {
    readonly vcpuHour: Price;
    readonly gbHour: Price;
    readonly armVcpuHour: Price;
    readonly armGbHour: Price;
    readonly spotVcpuHour: Price;
    readonly spotGbHour: Price;
    /** Ephemeral storage above the 20 GB every task gets. */
    readonly ephemeralGbHour: Price;
  };
  readonly natGatewayHour: Price;
  readonly natGatewayGb: Price;
  /** Every public IPv4 address (Elastic IPs, load balancer nodes, tasks with a public IP). */
  readonly publicIpv4Hour: Price;
  readonly albHour: Price;
  readonly albLcuHour: Price;
  readonly nlbHour: Price;
  readonly nlbLcuHour: Price;
  /** Per interface endpoint per Availability Zone. */
  readonly interfaceEndpointAzHour: Price;
  readonly interfaceEndpointGb: Price;
  readonly ebs: Readonly<Record<'gp3' | 'gp2', Price>>;
  readonly efsStandardGbMonth: Price;
  /** AWS Backup warm storage of EFS backups. */
  readonly backupEfsGbMonth: Price;
  /** AWS Backup storage of S3 backups. */
  readonly backupS3GbMonth: Price;
  readonly s3StandardGbMonth: Price;
  readonly ecrGbMonth: Price;
  readonly cloudwatch: {
    readonly alarmMetricMonth: Price;
    readonly highResolutionAlarmMetricMonth: Price;
    readonly compositeAlarmMonth: Price;
    readonly dashboardMonth: Price;
    readonly customMetricMonth: Price;
    readonly logIngestGb: Price;
    readonly logIngestInfrequentAccessGb: Price;
    readonly logStorageGbMonth: Price;
  };
  readonly kmsKeyMonth: Price;
  readonly kmsTenThousandRequests: Price;
  readonly secretMonth: Price;
  readonly waf: { readonly webAclMonth: Price; readonly ruleMonth: Price; readonly millionRequests: Price };
  readonly route53: { readonly hostedZoneMonth: Price; readonly millionQueries: Price };
  readonly cloudMapInstanceMonth: Price;
  readonly lambda: {
    readonly millionRequests: Price;
    readonly gbSecond: Price;
    readonly armGbSecond: Price;
    readonly provisionedGbSecond: Price;
    readonly provisionedDurationGbSecond: Price;
  };
  readonly apiGateway: {
    readonly restMillionRequests: Price;
    readonly httpMillionRequests: Price;
    /** REST API stage cache, by `cache_cluster_size` (GB). */
    readonly cacheHour: Readonly<Record<string, Price>>;
  };
  readonly dynamodb: {
    readonly millionWrites: Price;
    readonly millionReads: Price;
    readonly wcuHour: Price;
    readonly rcuHour: Price;
    readonly storageGbMonth: Price;
    readonly pitrGbMonth: Price;
  };
  readonly sqs: { readonly standardMillionRequests: Price; readonly fifoMillionRequests: Price };
  readonly sns: { readonly millionPublishes: Price };
  readonly xray: { readonly millionTracesRecorded: Price };
  readonly budgets: { readonly budgetMonth: Price; readonly actionBudgetMonth: Price };
  readonly cloudfront: { readonly gbOut: Price; readonly tenThousandHttpsRequests: Price };
  /** EC2 on-demand Linux, per instance type. A type missing here is reported as not priced. */
  readonly ec2Hour: Readonly<Record<string, Price>>;
  /** ElastiCache on-demand nodes, per node type (Redis OSS, and Memcached at the same rates). */
  readonly elasticacheNodeHour: Readonly<Record<string, Price>>;
  /** ElastiCache for Valkey on-demand nodes, per node type (20 % below Redis OSS). */
  readonly elasticacheValkeyNodeHour: Readonly<Record<string, Price>>;
}

const p = (usd: number, per: string, source: string, check: PriceCheck, note?: string): Price => (note ? { usd, per, source, check, note } : { usd, per, source, check });

const TOMGREGORY = 'tomgregory.com/aws-fargate-spot-vs-fargate-price-comparison (eu-west-1 rates)';
const FARGATE_THIRD_PARTY = 'vantage.sh/blog/fargate-pricing, wring.co and factualminds.com (us-east-1, 2025-2026)';

/** Prices that AWS lists as one figure for all commercial regions (or both regions here). */
const GLOBAL = {
  publicIpv4Hour: p(0.005, 'hour per public IPv4 address', SOURCES.vpc, 'price-list', 'flat rate in all regions since 2024-02-01'),
  interfaceEndpointGb: p(0.01, 'GB processed (first PB)', SOURCES.privatelink, 'aws-page'),
  ecrGbMonth: p(0.1, 'GB-month', SOURCES.ecr, 'unconfirmed', 'same figure in every commercial region'),
  kmsKeyMonth: p(1.0, 'key-month', SOURCES.kms, 'price-list', 'each of the first two automatic rotations adds $1/month after a year'),
  kmsTenThousandRequests: p(0.03, '10,000 requests (symmetric keys)', SOURCES.kms, 'price-list', 'the account free tier is 20,000 requests a month'),
  secretMonth: p(0.4, 'secret-month', SOURCES.secretsManager, 'price-list'),
  waf: {
    webAclMonth: p(5.0, 'web ACL-month', SOURCES.waf, 'unconfirmed', 'same figure in every region'),
    ruleMonth: p(1.0, 'rule-month (a managed rule group counts as one rule)', SOURCES.waf, 'unconfirmed'),
    millionRequests: p(0.6, '1M requests', SOURCES.waf, 'unconfirmed'),
  },
  route53: {
    hostedZoneMonth: p(0.5, 'hosted zone-month (first 25)', SOURCES.route53, 'third-party', 'zombiescan test fixtures; global service'),
    millionQueries: p(0.4, '1M standard queries', SOURCES.route53, 'unconfirmed'),
  },
  cloudMapInstanceMonth: p(0.1, 'registered instance-month', SOURCES.cloudMap, 'unconfirmed'),
  cloudwatchCommon: {
    alarmMetricMonth: p(0.1, 'alarm metric-month (standard resolution)', SOURCES.cloudwatch, 'unconfirmed', 'same figure in us-east-1 and eu-west-1'),
    highResolutionAlarmMetricMonth: p(0.3, 'alarm metric-month (high resolution)', SOURCES.cloudwatch, 'unconfirmed'),
    compositeAlarmMonth: p(0.5, 'composite alarm-month', SOURCES.cloudwatch, 'unconfirmed'),
    dashboardMonth: p(3.0, 'dashboard-month', SOURCES.cloudwatch, 'unconfirmed', 'the account gets 3 dashboards of up to 50 metrics free'),
    customMetricMonth: p(0.3, 'metric-month (first 10,000)', SOURCES.cloudwatch, 'unconfirmed'),
  },
  lambda: {
    millionRequests: p(0.2, '1M requests', SOURCES.lambda, 'aws-page', 'the Lambda pricing page example; eu-west-1 the same (mark-sailes.medium.com)'),
    gbSecond: p(0.0000166667, 'GB-second (x86)', SOURCES.lambda, 'third-party', 'us-east-1 and eu-west-1 (mark-sailes.medium.com, kindatechnical.com)'),
    armGbSecond: p(0.0000133334, 'GB-second (arm64)', SOURCES.lambda, 'unconfirmed'),
    provisionedGbSecond: p(0.0000041667, 'GB-second of provisioned concurrency (x86)', SOURCES.lambda, 'unconfirmed'),
    provisionedDurationGbSecond: p(0.0000097222, 'GB-second of duration on provisioned concurrency (x86)', SOURCES.lambda, 'unconfirmed'),
  },
  sqs: {
    standardMillionRequests: p(0.4, '1M requests (standard queue)', SOURCES.sqs, 'unconfirmed', 'first 1M requests a month free per account'),
    fifoMillionRequests: p(0.5, '1M requests (FIFO queue)', SOURCES.sqs, 'unconfirmed'),
  },
  sns: { millionPublishes: p(0.5, '1M publishes', SOURCES.sns, 'unconfirmed', 'first 1M a month free per account') },
  xray: { millionTracesRecorded: p(5.0, '1M traces recorded', SOURCES.xray, 'unconfirmed', 'first 100,000 a month free per account') },
  budgets: {
    budgetMonth: p(0.62, 'budget-month ($0.02/day)', SOURCES.budgets, 'unconfirmed', 'the first two budgets of an account are free'),
    actionBudgetMonth: p(3.04, 'action-enabled budget-month ($0.10/day)', SOURCES.budgets, 'unconfirmed', 'the first two action-enabled budgets of an account are free'),
  },
  cloudfront: {
    gbOut: p(0.085, 'GB to the internet (first 10 TB, North America/Europe)', SOURCES.cloudfront, 'third-party', 'srdjanrist/get-infra-done cost rules'),
    tenThousandHttpsRequests: p(0.01, '10,000 HTTPS requests (North America/Europe)', SOURCES.cloudfront, 'unconfirmed'),
  },
} as const;

const US_EAST_1: RegionPrices = {
  fargate: {
    vcpuHour: p(0.04048, 'vCPU-hour', SOURCES.fargate, 'third-party', FARGATE_THIRD_PARTY),
    gbHour: p(0.004445, 'GB-hour', SOURCES.fargate, 'third-party', FARGATE_THIRD_PARTY),
    armVcpuHour: p(0.03238, 'vCPU-hour (arm64)', SOURCES.fargate, 'third-party', 'vantage.sh/blog/fargate-pricing'),
    armGbHour: p(0.00356, 'GB-hour (arm64)', SOURCES.fargate, 'third-party', 'vantage.sh/blog/fargate-pricing'),
    spotVcpuHour: p(0.01244931, 'vCPU-hour (Fargate Spot)', SOURCES.fargate, 'unconfirmed', 'Spot rates move with demand; AWS advertises up to 70% off'),
    spotGbHour: p(0.00136652, 'GB-hour (Fargate Spot)', SOURCES.fargate, 'unconfirmed', 'Spot rates move with demand'),
    ephemeralGbHour: p(0.000111, 'GB-hour above 20 GB', SOURCES.fargate, 'third-party', 'vantage.sh/blog/fargate-pricing'),
  },
  natGatewayHour: p(0.045, 'NAT gateway-hour', SOURCES.vpc, 'price-list'),
  natGatewayGb: p(0.045, 'GB processed', SOURCES.vpc, 'aws-page', 'the VPC pricing page example (US East)'),
  publicIpv4Hour: GLOBAL.publicIpv4Hour,
  albHour: p(0.0225, 'ALB-hour', SOURCES.elb, 'price-list'),
  albLcuHour: p(0.008, 'LCU-hour', SOURCES.elb, 'aws-page', 'the ELB pricing page example (US East)'),
  nlbHour: p(0.0225, 'NLB-hour', SOURCES.elb, 'price-list'),
  nlbLcuHour: p(0.006, 'NLCU-hour', SOURCES.elb, 'aws-page'),
  interfaceEndpointAzHour: p(0.01, 'endpoint-AZ-hour', SOURCES.privatelink, 'price-list'),
  interfaceEndpointGb: GLOBAL.interfaceEndpointGb,
  ebs: { gp3: p(0.08, 'GB-month (gp3)', SOURCES.ebs, 'price-list'), gp2: p(0.1, 'GB-month (gp2)', SOURCES.ebs, 'price-list') },
  efsStandardGbMonth: p(0.3, 'GB-month (Standard)', SOURCES.efs, 'price-list'),
  backupEfsGbMonth: p(0.05, 'GB-month (EFS warm backup)', SOURCES.backup, 'unconfirmed'),
  backupS3GbMonth: p(0.05, 'GB-month (S3 backup)', SOURCES.backup, 'third-party', 'cloudburn.io and factualminds.com AWS Backup pricing write-ups (us-east-1, 2026); GET requests and objects under 128 KB billed extra'),
  s3StandardGbMonth: p(0.023, 'GB-month (Standard, first 50 TB)', SOURCES.s3, 'third-party', 'srdjanrist/get-infra-done cost rules; zombiescan fixtures'),
  ecrGbMonth: GLOBAL.ecrGbMonth,
  cloudwatch: {
    ...GLOBAL.cloudwatchCommon,
    logIngestGb: p(0.5, 'GB ingested (Standard class)', SOURCES.cloudwatch, 'third-party', 'c3x.dev and hykell.com (us-east-1, 2026)'),
    logIngestInfrequentAccessGb: p(0.25, 'GB ingested (Infrequent Access class)', SOURCES.cloudwatch, 'third-party', 'c3x.dev (us-east-1, 2026)'),
    logStorageGbMonth: p(0.03, 'GB-month stored', SOURCES.cloudwatch, 'price-list'),
  },
  kmsKeyMonth: GLOBAL.kmsKeyMonth,
  kmsTenThousandRequests: GLOBAL.kmsTenThousandRequests,
  secretMonth: GLOBAL.secretMonth,
  waf: GLOBAL.waf,
  route53: GLOBAL.route53,
  cloudMapInstanceMonth: GLOBAL.cloudMapInstanceMonth,
  lambda: GLOBAL.lambda,
  apiGateway: {
    restMillionRequests: p(3.5, '1M requests (REST, first 333M)', SOURCES.apiGateway, 'aws-page', 'AWS whitepaper "Best Practices for Designing Amazon API Gateway Private APIs", cost optimization'),
    httpMillionRequests: p(1.0, '1M requests (HTTP API, first 300M)', SOURCES.apiGateway, 'aws-page', 'same whitepaper (us-east-1)'),
    cacheHour: { '0.5': p(0.02, 'hour (0.5 GB cache)', SOURCES.apiGateway, 'unconfirmed'), '1.6': p(0.038, 'hour (1.6 GB cache)', SOURCES.apiGateway, 'unconfirmed') },
  },
  dynamodb: {
    millionWrites: p(0.625, '1M write request units (on-demand)', SOURCES.dynamodbOnDemand, 'third-party', 'airbyte.com (after the November 2024 price cut)'),
    millionReads: p(0.125, '1M read request units (on-demand)', SOURCES.dynamodbOnDemand, 'third-party', 'airbyte.com (after the November 2024 price cut)'),
    wcuHour: p(0.00065, 'WCU-hour (provisioned)', SOURCES.dynamodbProvisioned, 'third-party', 'zeonedge.com; zombiescan fixtures'),
    rcuHour: p(0.00013, 'RCU-hour (provisioned)', SOURCES.dynamodbProvisioned, 'third-party', 'zeonedge.com; zombiescan fixtures'),
    storageGbMonth: p(0.25, 'GB-month (Standard table class)', SOURCES.dynamodbOnDemand, 'third-party', 'srdjanrist/get-infra-done cost rules'),
    pitrGbMonth: p(0.2, 'GB-month of point-in-time recovery', SOURCES.dynamodbOnDemand, 'unconfirmed'),
  },
  sqs: GLOBAL.sqs,
  sns: GLOBAL.sns,
  xray: GLOBAL.xray,
  budgets: GLOBAL.budgets,
  cloudfront: GLOBAL.cloudfront,
  ec2Hour: {
    't4g.nano': p(0.0042, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't4g.micro': p(0.0084, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't3.micro': p(0.0104, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools (pocket-architect, get-infra-done)'),
    't3.small': p(0.0208, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
    't3.medium': p(0.0416, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
    'm5.large': p(0.096, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
    'c5.large': p(0.085, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
    'g4dn.xlarge': p(0.526, 'instance-hour', SOURCES.ec2, 'third-party', 'many cost tools quote $0.526 (us-east-1)'),
    'g4dn.2xlarge': p(0.752, 'instance-hour', SOURCES.ec2, 'third-party', 'pocket-architect, nip cost calculator'),
    'g4dn.4xlarge': p(1.204, 'instance-hour', SOURCES.ec2, 'third-party', 'pocket-architect'),
    'g4dn.8xlarge': p(2.176, 'instance-hour', SOURCES.ec2, 'third-party', 'pocket-architect'),
    'g4dn.12xlarge': p(3.912, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g4dn.16xlarge': p(4.352, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g5.xlarge': p(1.006, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
    'g5.2xlarge': p(1.212, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g5.4xlarge': p(1.624, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g6.xlarge': p(0.8048, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'p3.2xlarge': p(3.06, 'instance-hour', SOURCES.ec2, 'third-party', 'several cost tools'),
  },
  elasticacheNodeHour: {
    'cache.t3.micro': p(0.017, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.micro': p(0.016, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t3.small': p(0.034, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.small': p(0.032, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.medium': p(0.065, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.r7g.large': p(0.219, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
  },
  elasticacheValkeyNodeHour: {
    'cache.t4g.micro': p(0.0128, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less the 20 % AWS announced for Valkey'),
    'cache.t4g.small': p(0.0256, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
    'cache.t4g.medium': p(0.052, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
    'cache.r7g.large': p(0.1752, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
  },
};

const EU_WEST_1: RegionPrices = {
  fargate: {
    vcpuHour: p(0.04048, 'vCPU-hour', SOURCES.fargate, 'third-party', TOMGREGORY),
    gbHour: p(0.004445, 'GB-hour', SOURCES.fargate, 'third-party', TOMGREGORY),
    armVcpuHour: p(0.03238, 'vCPU-hour (arm64)', SOURCES.fargate, 'unconfirmed', 'assumed equal to us-east-1, as the x86 rates are'),
    armGbHour: p(0.00356, 'GB-hour (arm64)', SOURCES.fargate, 'unconfirmed', 'assumed equal to us-east-1, as the x86 rates are'),
    spotVcpuHour: p(0.01334053, 'vCPU-hour (Fargate Spot)', SOURCES.fargate, 'third-party', `${TOMGREGORY}; Spot rates move with demand`),
    spotGbHour: p(0.00146489, 'GB-hour (Fargate Spot)', SOURCES.fargate, 'third-party', `${TOMGREGORY}; Spot rates move with demand`),
    ephemeralGbHour: p(0.000122, 'GB-hour above 20 GB', SOURCES.fargate, 'unconfirmed'),
  },
  natGatewayHour: p(0.048, 'NAT gateway-hour', SOURCES.vpc, 'price-list'),
  natGatewayGb: p(0.048, 'GB processed', SOURCES.vpc, 'third-party', 'cloudpipelines.pages.dev (Europe $0.048-0.052, same as the hourly rate)'),
  publicIpv4Hour: GLOBAL.publicIpv4Hour,
  albHour: p(0.0252, 'ALB-hour', SOURCES.elb, 'price-list'),
  albLcuHour: p(0.008, 'LCU-hour', SOURCES.elb, 'unconfirmed', 'the page example gives $0.008 for US East; Ireland is believed the same'),
  nlbHour: p(0.0252, 'NLB-hour', SOURCES.elb, 'price-list'),
  nlbLcuHour: p(0.006, 'NLCU-hour', SOURCES.elb, 'unconfirmed'),
  interfaceEndpointAzHour: p(0.011, 'endpoint-AZ-hour', SOURCES.privatelink, 'price-list'),
  interfaceEndpointGb: GLOBAL.interfaceEndpointGb,
  ebs: { gp3: p(0.088, 'GB-month (gp3)', SOURCES.ebs, 'price-list'), gp2: p(0.11, 'GB-month (gp2)', SOURCES.ebs, 'price-list') },
  efsStandardGbMonth: p(0.33, 'GB-month (Standard)', SOURCES.efs, 'price-list'),
  backupEfsGbMonth: p(0.055, 'GB-month (EFS warm backup)', SOURCES.backup, 'unconfirmed'),
  backupS3GbMonth: p(0.055, 'GB-month (S3 backup)', SOURCES.backup, 'unconfirmed', 'assumed 10 % above us-east-1, as the EFS backup rate is'),
  s3StandardGbMonth: p(0.023, 'GB-month (Standard, first 50 TB)', SOURCES.s3, 'unconfirmed', 'a zombiescan test fixture pins $0.024; the list price for Ireland is believed to be $0.023'),
  ecrGbMonth: GLOBAL.ecrGbMonth,
  cloudwatch: {
    ...GLOBAL.cloudwatchCommon,
    logIngestGb: p(0.57, 'GB ingested (Standard class)', SOURCES.cloudwatch, 'unconfirmed'),
    logIngestInfrequentAccessGb: p(0.285, 'GB ingested (Infrequent Access class)', SOURCES.cloudwatch, 'unconfirmed', 'half the Standard rate, as in us-east-1'),
    logStorageGbMonth: p(0.03, 'GB-month stored', SOURCES.cloudwatch, 'price-list'),
  },
  kmsKeyMonth: GLOBAL.kmsKeyMonth,
  kmsTenThousandRequests: GLOBAL.kmsTenThousandRequests,
  secretMonth: GLOBAL.secretMonth,
  waf: GLOBAL.waf,
  route53: GLOBAL.route53,
  cloudMapInstanceMonth: GLOBAL.cloudMapInstanceMonth,
  lambda: GLOBAL.lambda,
  apiGateway: {
    restMillionRequests: p(3.5, '1M requests (REST, first 333M)', SOURCES.apiGateway, 'unconfirmed', 'the us-east-1 figure; Ireland is believed the same'),
    httpMillionRequests: p(1.11, '1M requests (HTTP API, first 300M)', SOURCES.apiGateway, 'unconfirmed'),
    cacheHour: { '0.5': p(0.02, 'hour (0.5 GB cache)', SOURCES.apiGateway, 'unconfirmed'), '1.6': p(0.038, 'hour (1.6 GB cache)', SOURCES.apiGateway, 'unconfirmed') },
  },
  dynamodb: {
    millionWrites: p(0.7063, '1M write request units (on-demand)', SOURCES.dynamodbOnDemand, 'unconfirmed', 'half the pre-November-2024 Ireland rate of $1.4135'),
    millionReads: p(0.1413, '1M read request units (on-demand)', SOURCES.dynamodbOnDemand, 'unconfirmed', 'half the pre-November-2024 Ireland rate of $0.283'),
    wcuHour: p(0.000735, 'WCU-hour (provisioned)', SOURCES.dynamodbProvisioned, 'unconfirmed'),
    rcuHour: p(0.000147, 'RCU-hour (provisioned)', SOURCES.dynamodbProvisioned, 'unconfirmed'),
    storageGbMonth: p(0.283, 'GB-month (Standard table class)', SOURCES.dynamodbOnDemand, 'unconfirmed'),
    pitrGbMonth: p(0.22, 'GB-month of point-in-time recovery', SOURCES.dynamodbOnDemand, 'unconfirmed'),
  },
  sqs: GLOBAL.sqs,
  sns: GLOBAL.sns,
  xray: GLOBAL.xray,
  budgets: GLOBAL.budgets,
  cloudfront: GLOBAL.cloudfront,
  ec2Hour: {
    't4g.nano': p(0.0046, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't4g.micro': p(0.0092, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't3.micro': p(0.0114, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't3.small': p(0.0228, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    't3.medium': p(0.0456, 'instance-hour', SOURCES.ec2, 'third-party', 'a GPU cost-tracking script pricing Ireland instances'),
    'm5.large': p(0.107, 'instance-hour', SOURCES.ec2, 'third-party', 'a pricing-cache fallback table (eu-west-1)'),
    'c5.large': p(0.097, 'instance-hour', SOURCES.ec2, 'third-party', 'a pricing-cache fallback table (eu-west-1)'),
    'g4dn.xlarge': p(0.587, 'instance-hour', SOURCES.ec2, 'third-party', 'a GPU cost-tracking script pricing Ireland instances'),
    'g4dn.2xlarge': p(0.838, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g4dn.4xlarge': p(1.343, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g4dn.8xlarge': p(2.427, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g4dn.12xlarge': p(4.363, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g4dn.16xlarge': p(4.853, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g5.xlarge': p(1.123, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g5.2xlarge': p(1.353, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'g5.4xlarge': p(1.813, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
    'p3.2xlarge': p(3.305, 'instance-hour', SOURCES.ec2, 'unconfirmed'),
  },
  elasticacheNodeHour: {
    'cache.t3.micro': p(0.018, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.micro': p(0.017, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t3.small': p(0.036, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.small': p(0.034, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.t4g.medium': p(0.068, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
    'cache.r7g.large': p(0.243, 'node-hour', SOURCES.elasticache, 'unconfirmed'),
  },
  elasticacheValkeyNodeHour: {
    'cache.t4g.micro': p(0.0136, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less the 20 % AWS announced for Valkey'),
    'cache.t4g.small': p(0.0272, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
    'cache.t4g.medium': p(0.0544, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
    'cache.r7g.large': p(0.1944, 'node-hour', SOURCES.elasticache, 'unconfirmed', 'Redis OSS rate less 20 %'),
  },
};

/** Unit prices by region. A stack in a region missing here has every resource reported as not priced. */
export const PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
  'eu-west-1': EU_WEST_1,
};

/** vCPUs of the general-purpose types of the table (GPU types come from src/compute). */
export const GENERAL_INSTANCE_VCPUS: Readonly<Record<string, number>> = {
  't4g.nano': 2,
  't4g.micro': 2,
  't3.micro': 2,
  't3.small': 2,
  't3.medium': 2,
  'm5.large': 2,
  'c5.large': 2,
};

/** Every price entry of a region, with its path (for `--region-check` and the tests). */
export function priceEntries(prices: RegionPrices): [string, Price][] {
  const out: [string, Price][] = [];
  const walk = (v: unknown, at: string): void => {
    if (v && typeof v === 'object' && 'usd' in v && 'source' in v) out.push([at, v as Price]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  walk(prices, '');
  return out;
}
