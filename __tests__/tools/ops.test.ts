import { OpsOptions, opsSteps, parseOpsArgs, terraformSteps } from '../../tools/ops';

const OUTPUTS = {
  ecs_cluster_name: 'karmacadabra-prod',
  ecs_service_names: { validator: 'karmacadabra-prod-validator', 'karma-hello': 'karmacadabra-prod-karma-hello' },
  ecr_repository_urls: {
    validator: '123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/validator',
    'karma-hello': '123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/karma-hello',
  },
  cloudwatch_log_group_names: { validator: '/ecs/karmacadabra-prod/validator', 'karma-hello': '/ecs/karmacadabra-prod/karma-hello' },
};
const FACTS = { region: 'us-east-1', imageTag: 'v1.2.0', outputs: OUTPUTS };
const steps = (...argv: string[]) => opsSteps(parseOpsArgs(['karmacadabra', ...argv]), FACTS).map((s) => ('shell' in s ? s.shell : s.argv.join(' ')));

describe('npm run ops (the document\'s Makefile operations)', () => {
  it('push-images logs in to the registry, then builds and pushes every agent with the stack\'s image tag', () => {
    expect(steps('push-images', '--dockerfile', 'Dockerfile.agent')).toEqual([
      'aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com',
      'docker build -f Dockerfile.agent --build-arg AGENT_NAME=validator -t 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/validator:v1.2.0 .',
      'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/validator:v1.2.0',
      'docker build -f Dockerfile.agent --build-arg AGENT_NAME=karma-hello -t 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/karma-hello:v1.2.0 .',
      'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/karma-hello:v1.2.0',
    ]);
  });

  it('push-images takes one agent and an explicit tag, and needs a tag when the stack has none', () => {
    expect(steps('push-images', '--agent', 'karma-hello', '--tag', 'abc123').slice(1)).toEqual([
      'docker build -f Dockerfile --build-arg AGENT_NAME=karma-hello -t 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/karma-hello:abc123 .',
      'docker push 123456789012.dkr.ecr.us-east-1.amazonaws.com/karmacadabra/karma-hello:abc123',
    ]);
    expect(() => opsSteps(parseOpsArgs(['karmacadabra', 'push-images']), { ...FACTS, imageTag: undefined })).toThrow(/push-images needs --tag/);
  });

  it('logs tails an agent\'s log group; exec opens a shell in its first running task; redeploy forces new deployments', () => {
    expect(steps('logs', 'validator', '--since', '30m')).toEqual(['aws logs tail /ecs/karmacadabra-prod/validator --region us-east-1 --since 30m --follow']);
    expect(steps('logs', 'validator', '--no-follow')).toEqual(['aws logs tail /ecs/karmacadabra-prod/validator --region us-east-1 --since 1h']);
    const [exec] = steps('exec', 'karma-hello');
    expect(exec).toContain('aws ecs execute-command --region us-east-1 --cluster karmacadabra-prod --task "$(aws ecs list-tasks --region us-east-1 --cluster karmacadabra-prod --service-name karmacadabra-prod-karma-hello --desired-status RUNNING');
    expect(exec).toContain('--container karma-hello --interactive --command /bin/sh');
    expect(steps('redeploy')).toHaveLength(2);
    expect(steps('redeploy', '--agent', 'validator')[0]).toContain('aws ecs update-service --region us-east-1 --cluster karmacadabra-prod --service karmacadabra-prod-validator --force-new-deployment');
  });

  it('plans to a file and applies that plan', () => {
    expect(terraformSteps('plan', false)).toEqual([{ argv: ['terraform', 'plan', '-out', 'tfplan'] }]);
    expect(terraformSteps('apply', true)).toEqual([{ argv: ['terraform', 'apply', 'tfplan'] }]);
    expect(terraformSteps('apply', false)).toEqual([{ argv: ['terraform', 'apply'] }]);
  });

  it('rejects an unknown stack, command, agent or argument with what is allowed', () => {
    expect(() => parseOpsArgs(['karmacadabraa', 'logs'])).toThrow(/unknown stack "karmacadabraa"; stacks: .*karmacadabra/);
    expect(() => parseOpsArgs(['karmacadabra', 'push'])).toThrow(/unknown command "push"; commands: init, plan, apply, destroy, push-images, redeploy, logs, exec, status/);
    expect(() => steps('logs', 'validatr')).toThrow('unknown service "validatr"; allowed: validator, karma-hello');
    expect(() => parseOpsArgs(['karmacadabra', 'logs'])).toThrow(/logs needs one service name/);
    expect(() => parseOpsArgs(['karmacadabra', 'status', '--verbose'])).toThrow('unknown argument "--verbose" for status');
    const noRepos: OpsOptions = parseOpsArgs(['karmacadabra', 'push-images', '--tag', 'x']);
    expect(() => opsSteps(noRepos, { region: 'us-east-1', outputs: {} })).toThrow('stack karmacadabra has no output ecr_repository_urls');
  });
});
