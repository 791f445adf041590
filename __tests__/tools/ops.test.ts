/**
 * `npm run ops` (tools/ops.ts and tools/ops/): its command line, and the exact commands each
 * command runs (what `--dry-run` prints), planned from a stack's operations outputs. Every stack's
 * own outputs and names: ops-stacks.test.ts.
 */
import { parseOpsArgs, usage } from '../../tools/ops/args';
import { confirmation, planDestroy } from '../../tools/ops/destroy';
import { OpsContract, ServiceContext, serviceSteps, show } from '../../tools/ops/steps';
import { terraformSteps } from '../../tools/ops';
import { ROOT } from '../../tools/terraform/cli';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const CONTRACT: OpsContract = {
  cluster: 'karmacadabra-prod',
  services: {
    validator: { name: 'karmacadabra-prod-validator', container: 'validator', log_group: '/ecs/karmacadabra-prod/validator', task_family: 'karmacadabra-prod-validator', image_tag: 'v1.1.0' },
    'karma-hello': { name: 'karmacadabra-prod-karma-hello', container: 'karma-hello', log_group: '/ecs/karmacadabra-prod/karma-hello', task_family: 'karmacadabra-prod-karma-hello', image_tag: 'v1.1.0' },
  },
  images: {
    validator: { repository_url: `${REGISTRY}/karmacadabra/validator`, build_context: 'services/validator' },
    'karma-hello': { repository_url: `${REGISTRY}/karmacadabra/karma-hello`, build_context: 'agents/hello' },
  },
  endpointUrl: 'http://karmacadabra-prod-123.us-east-1.elb.amazonaws.com',
};
const CONTEXT: ServiceContext = { region: 'us-east-1', imageTag: 'v1.2.0', contract: CONTRACT };
const steps = (...argv: string[]) => serviceSteps(parseOpsArgs(['karmacadabra', ...argv]), CONTEXT).map(show);

describe('npm run ops: the command line', () => {
  it('lists every command with what it does', () => {
    const text = usage();
    expect(text).toMatch(/^usage: npm run ops -- <stack> <command> \[options\] \[--dry-run\]\nstacks: state-bootstrap, artwork-matcher-demo/);
    expect([...text.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1])).toEqual(['init', 'plan', 'apply', 'push-images', 'redeploy', 'status', 'logs', 'exec', 'rollback', 'destroy']);
  });

  it('takes the stack and the command in either order, services by name or flag, and the options of each command', () => {
    expect(parseOpsArgs(['destroy', 'karmacadabra', '--yes'])).toMatchObject({ stack: 'karmacadabra', command: 'destroy', yes: true, dryRun: false });
    expect(parseOpsArgs(['karmacadabra', 'rollback', 'validator', '--service', 'karma-hello', '--dry-run'])).toMatchObject({ services: ['validator', 'karma-hello'], dryRun: true });
    expect(parseOpsArgs(['karmacadabra', 'push-images', '--agent', 'validator', '--tag', 't', '--context', '.', '--dockerfile', 'Dockerfile.agent'])).toMatchObject({ services: ['validator'], tag: 't', context: '.', dockerfile: 'Dockerfile.agent' });
  });

  it('rejects an unknown stack, command or argument with the usage, and logs or exec without one service', () => {
    expect(() => parseOpsArgs(['karmacadabraa', 'logs'])).toThrow(/^unknown stack "karmacadabraa"\nusage: npm run ops/);
    expect(() => parseOpsArgs(['karmacadabra', 'push'])).toThrow(/^unknown command "push"\nusage: npm run ops/);
    expect(() => parseOpsArgs(['destroy'])).toThrow(/^destroy needs a stack\nusage: npm run ops/);
    expect(() => parseOpsArgs(['karmacadabra', 'status', '--verbose'])).toThrow(/^unknown argument "--verbose" for status\n/);
    expect(() => parseOpsArgs(['karmacadabra', 'status', 'validator'])).toThrow(/^unknown argument "validator" for status\n/);
    expect(() => parseOpsArgs(['karmacadabra', 'logs', 'karma-hello', 'validator'])).toThrow('logs needs one service name: npm run ops -- karmacadabra logs <service>');
    // A service name is never taken for an option, whatever it is called.
    expect(parseOpsArgs(['karmacadabra', 'logs', 'constructor'])).toMatchObject({ services: ['constructor'] });
    expect(() => parseOpsArgs(['karmacadabra', 'exec'])).toThrow('exec needs one service name');
    expect(() => parseOpsArgs(['karmacadabra', 'push-images', '--tag'])).toThrow('--tag needs a value');
  });
});

describe('npm run ops: the service commands', () => {
  it('push-images logs in once, then builds each image from its own build context and pushes it with the imageTag setting', () => {
    expect(steps('push-images')).toEqual([
      `aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin ${REGISTRY}`,
      `docker build -t ${REGISTRY}/karmacadabra/validator:v1.2.0 services/validator`,
      `docker push ${REGISTRY}/karmacadabra/validator:v1.2.0`,
      `docker build -t ${REGISTRY}/karmacadabra/karma-hello:v1.2.0 agents/hello`,
      `docker push ${REGISTRY}/karmacadabra/karma-hello:v1.2.0`,
    ]);
  });

  it('push-images takes some images, a tag, one context and a Dockerfile; it needs a tag, and images to build', () => {
    expect(steps('push-images', 'karma-hello', '--tag', 'abc123', '--context', '.', '--dockerfile', 'Dockerfile.agent').slice(1)).toEqual([
      `docker build -f Dockerfile.agent -t ${REGISTRY}/karmacadabra/karma-hello:abc123 .`,
      `docker push ${REGISTRY}/karmacadabra/karma-hello:abc123`,
    ]);
    expect(() => serviceSteps(parseOpsArgs(['karmacadabra', 'push-images']), { ...CONTEXT, imageTag: undefined })).toThrow(/^push-images needs --tag/);
    expect(() => serviceSteps(parseOpsArgs(['vision-validator', 'push-images']), { ...CONTEXT, contract: { ...CONTRACT, images: {} } })).toThrow('vision-validator builds no image (its services run fixed image references): nothing to push');
    expect(() => steps('push-images', 'validatr')).toThrow('unknown image "validatr"; allowed: validator, karma-hello');
  });

  it('redeploy starts a new deployment of each service; status shows every service', () => {
    expect(steps('redeploy', 'validator')).toEqual([
      "aws ecs update-service --region us-east-1 --cluster karmacadabra-prod --service karmacadabra-prod-validator --force-new-deployment --query 'service.deployments[0].id' --output text",
    ]);
    expect(steps('redeploy')).toHaveLength(2);
    expect(steps('status')).toEqual([
      "aws ecs describe-services --region us-east-1 --cluster karmacadabra-prod --services karmacadabra-prod-validator karmacadabra-prod-karma-hello --query 'services[].[serviceName,taskDefinition,runningCount,desiredCount,deployments[0].rolloutState]' --output table",
    ]);
  });

  it('logs tails the service\'s log group; exec opens a shell in its container of its first running task', () => {
    expect(steps('logs', 'validator', '--since', '30m')).toEqual(['aws logs tail /ecs/karmacadabra-prod/validator --region us-east-1 --since 30m --follow']);
    expect(steps('logs', '--service', 'validator', '--no-follow')).toEqual(['aws logs tail /ecs/karmacadabra-prod/validator --region us-east-1 --since 1h']);
    expect(steps('exec', 'karma-hello')).toEqual([
      'aws ecs execute-command --region us-east-1 --cluster karmacadabra-prod --task "$(aws ecs list-tasks --region us-east-1 --cluster karmacadabra-prod --service-name karmacadabra-prod-karma-hello --desired-status RUNNING --query \'taskArns[0]\' --output text)" --container karma-hello --interactive --command /bin/sh',
    ]);
    expect(() => steps('logs', 'validatr')).toThrow('unknown service "validatr"; allowed: validator, karma-hello');
  });

  it('rollback lists the family\'s ACTIVE revisions and updates the service to the one before the revision it runs', () => {
    expect(steps('rollback', 'validator')).toEqual([
      [
        "current=$(aws ecs describe-services --region us-east-1 --cluster karmacadabra-prod --services karmacadabra-prod-validator --query 'services[0].taskDefinition' --output text)",
        "previous=$(aws ecs list-task-definitions --region us-east-1 --family-prefix karmacadabra-prod-validator --status ACTIVE --sort DESC --query 'taskDefinitionArns' --output text | tr '\\t' '\\n' | grep -E '/karmacadabra-prod-validator:[0-9]+$' | grep -A1 -Fx \"$current\" | sed -n 2p)",
        'test -n "$previous" || { echo "no ACTIVE revision of karmacadabra-prod-validator before $current" >&2; exit 1; }',
        'aws ecs update-service --region us-east-1 --cluster karmacadabra-prod --service karmacadabra-prod-validator --task-definition "$previous" --query \'service.taskDefinition\' --output text',
      ].join('\n'),
    ]);
    expect(steps('rollback')).toHaveLength(2);
  });
});

describe('npm run ops: Terraform', () => {
  const dir = `${ROOT}/cdktf.out/stacks/karmacadabra`;
  const at = (argv: string[]) => `(cd cdktf.out/stacks/karmacadabra && ${argv.join(' ')})`;

  it('applies the plan npm run plan saved, and initializes first when init has not run', () => {
    expect(terraformSteps('init', dir, { initialized: true, planSaved: false }).map(show)).toEqual([at(['terraform', 'init'])]);
    expect(terraformSteps('apply', dir, { initialized: true, planSaved: true }).map(show)).toEqual([at(['terraform', 'apply', 'tfplan'])]);
    expect(terraformSteps('apply', dir, { initialized: false, planSaved: false }).map(show)).toEqual([at(['terraform', 'init']), at(['terraform', 'apply'])]);
    expect(terraformSteps('destroy', dir, { initialized: true, planSaved: false }).map(show)).toEqual([at(['terraform', 'destroy', '-auto-approve'])]);
  });
});

describe('npm run ops: destroy', () => {
  const resource = (address: string, values: Record<string, unknown>, preventDestroy = false) => ({ address, type: address.split('.')[0], values, preventDestroy });
  const RESOURCES = [
    resource('aws_s3_bucket.data', { bucket: 'am-data', force_destroy: false }),
    resource('aws_s3_bucket.scratch', { bucket: 'am-scratch', force_destroy: true }),
    resource('aws_ecr_repository.gateway', { name: 'am/gateway', force_delete: false }),
    resource('aws_backup_vault.backup', { name: 'am-production', force_destroy: false }),
    resource('aws_lb.alb', { name: 'am-production', enable_deletion_protection: true, arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/am-production/0123' }),
    resource('aws_lb.internal', { name: 'am-internal', enable_deletion_protection: true, arn: '<aws_lb.internal.arn>' }),
    resource('aws_dynamodb_table.jobs', { name: 'am-jobs', deletion_protection_enabled: true }),
    resource('aws_secretsmanager_secret.key', { name: 'am/key', recovery_window_in_days: 7 }),
  ];

  it('empties buckets (versions and delete markers), repositories and vaults, then turns deletion protection off', () => {
    const plan = planDestroy('am', 'eu-west-1', RESOURCES);
    expect(plan.steps.map(show)).toEqual([
      "while objects=$(aws s3api list-object-versions --region eu-west-1 --bucket am-data --no-paginate --query '{Objects: [Versions, DeleteMarkers][].{Key: Key, VersionId: VersionId}, Quiet: `true`}' --output json) && printf '%s' \"$objects\" | grep -q '\"Key\"'; do aws s3api delete-objects --region eu-west-1 --bucket am-data --delete \"$objects\" > /dev/null; done",
      'while ids=$(aws ecr list-images --region eu-west-1 --repository-name am/gateway --no-paginate --query \'imageIds\' --output json) && [ "$ids" != "[]" ]; do aws ecr batch-delete-image --region eu-west-1 --repository-name am/gateway --image-ids "$ids" > /dev/null; done',
      "for arn in $(aws backup list-recovery-points-by-backup-vault --region eu-west-1 --backup-vault-name am-production --query 'RecoveryPoints[].RecoveryPointArn' --output text); do aws backup delete-recovery-point --region eu-west-1 --backup-vault-name am-production --recovery-point-arn \"$arn\"; done; while [ -n \"$(aws backup list-recovery-points-by-backup-vault --region eu-west-1 --backup-vault-name am-production --query 'RecoveryPoints[].RecoveryPointArn' --output text)\" ]; do sleep 10; done",
      'aws elbv2 modify-load-balancer-attributes --region eu-west-1 --load-balancer-arn arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/am-production/0123 --attributes Key=deletion_protection.enabled,Value=false',
      "aws elbv2 modify-load-balancer-attributes --region eu-west-1 --load-balancer-arn \"$(aws elbv2 describe-load-balancers --region eu-west-1 --names am-internal --query 'LoadBalancers[0].LoadBalancerArn' --output text)\" --attributes Key=deletion_protection.enabled,Value=false",
      'aws dynamodb update-table --region eu-west-1 --table-name am-jobs --no-deletion-protection-enabled',
    ]);
  });

  it('asks for a confirmation that names what is lost, and says when Terraform empties everything itself', () => {
    expect(confirmation('am', 'eu-west-1', planDestroy('am', 'eu-west-1', RESOURCES))).toBe(
      [
        'Destroying am (eu-west-1) deletes every resource of the stack. Lost for good besides:',
        '  - every object and object version in bucket am-data',
        '  - every image in repository am/gateway',
        '  - every recovery point in backup vault am-production',
        '  - deletion protection of load balancer am-production (turned off)',
        '  - deletion protection of load balancer am-internal (turned off)',
        '  - deletion protection of table am-jobs (turned off)',
        'Secrets wait out their recovery window (am/key (7 days)): creating the stack again under the same names fails until then.',
      ].join('\n'),
    );
    expect(confirmation('dev', 'us-east-1', planDestroy('dev', 'us-east-1', [RESOURCES[1]]))).toBe(
      'Destroying dev (us-east-1) deletes every resource of the stack. Lost for good besides:\n  - nothing else: Terraform empties what it deletes (force_destroy, force_delete)',
    );
  });

  it('stops before anything is deleted when a resource has prevent_destroy', () => {
    expect(() => planDestroy('state-bootstrap', 'eu-west-1', [resource('aws_s3_bucket.state', { bucket: 's', force_destroy: false }, true)])).toThrow(
      'state-bootstrap cannot be destroyed: aws_s3_bucket.state has lifecycle.prevent_destroy (Terraform refuses to plan the destroy); turn that protection off in the stack\'s settings and apply first (docs/operations.md)',
    );
  });
});
