/**
 * The settings variants the tests plan beside each stack's defaults: the options a stack's
 * defaults leave off must produce valid Terraform too. The offline plan test plans them, the
 * synth parity test writes them both ways.
 */
export interface Variant {
  /** What the variant is, for test names. */
  readonly label: string;
  /** The stack it builds. */
  readonly stack: string;
  /** The settings document (as a settings file would hold it). */
  readonly overrides: Record<string, unknown>;
  /** Resources its fresh plan creates (look-ups pinned). */
  readonly creates: number;
}

export const VARIANTS: readonly Variant[] = [
  {
    label: 'artwork-matcher-production with every checklist option (domain, CloudFront, edge WAF, backup, budget, GitHub deploy role, cache)',
    stack: 'artwork-matcher-production',
    overrides: {
      remoteState: { bucket: 'acme-tf-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' },
      stacks: {
        'artwork-matcher-production': {
          imageTag: 'a1b2c3d',
          domain: { name: 'artwork.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
          // The origin-facing prefix list is looked up; the preview pins it, as npm run plan does.
          cloudfront: { enabled: true, cachedPathPatterns: ['/static/*'] },
          budget: { enabled: true, monthlyLimitUsd: 1500, emails: ['finance@example.com'] },
          cicd: { githubRepository: 'acme/artwork-matcher', environments: ['production'] },
          cache: { enabled: true },
        },
      },
    },
    creates: 185,
  },
  {
    label: 'artwork-matcher-demo lean (HTTP API, off hours)',
    stack: 'artwork-matcher-demo',
    overrides: { stacks: { 'artwork-matcher-demo': { imageTag: 'a1b2c3d', ingress: 'httpApi', offHours: { stopSchedule: 'cron(0 19 ? * MON-FRI *)', startSchedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris' } } } },
    creates: 145,
  },
];
