/**
 * The `deployment_commands` and `quick_start` outputs: the commands an operator runs against this
 * deployment, with its own names filled in (cluster, repositories, log groups, secrets, URLs), so
 * `terraform output` answers "what do I type next" without reading the docs. No double quote in
 * them: cdktf's HCL rendering writes strings unescaped, and the `--hcl` exit must stay valid.
 */
import { Fn } from 'cdktf';
import type { AgentSettings } from './settings';

/** What the commands name of one agent. */
export interface AgentCommandsInput {
  readonly settings: AgentSettings;
  readonly repositoryUrl: string;
  readonly logGroupName: string;
  readonly secretArn: string;
  readonly serviceName: string;
}

/** What the commands name of the deployment. */
export interface DeploymentCommandsInput {
  readonly stackName: string;
  readonly region: string;
  readonly clusterName: string;
  /** The public base URL (the domain, or the load balancer's name). */
  readonly baseUrl: string;
  readonly dashboardUrl: string;
  readonly agents: Readonly<Record<string, AgentCommandsInput>>;
}

/** `deployment_commands`: a map of command lines, some of them one per agent. */
export function deploymentCommands(d: DeploymentCommandsInput): Record<string, unknown> {
  const names = Object.keys(d.agents);
  const perAgent = (fn: (name: string, a: AgentCommandsInput) => string) => Object.fromEntries(names.map((n) => [n, fn(n, d.agents[n])]));
  // The registry host is the repository URL before its first "/".
  const registry = Fn.element(Fn.split('/', d.agents[names[0]].repositoryUrl), 0);
  return {
    ecr_login: `aws ecr get-login-password --region ${d.region} | docker login --username AWS --password-stdin ${registry}`,
    build_and_push: perAgent((n, a) => `docker build --platform linux/amd64 -t ${a.repositoryUrl}:$TAG services/${n} && docker push ${a.repositoryUrl}:$TAG`),
    push_all_images: `npm run ops -- ${d.stackName} push-images --tag $TAG`,
    deploy_tag: `set imageTag to $TAG under stacks.${d.stackName} in your settings, then: npm run synth -- ${d.stackName} && npm run ops -- ${d.stackName} plan && npm run ops -- ${d.stackName} apply`,
    redeploy_all: `npm run ops -- ${d.stackName} redeploy`,
    service_status: `aws ecs describe-services --region ${d.region} --cluster ${d.clusterName} --services ${names.map((n) => d.agents[n].serviceName).join(' ')} --query 'services[].[serviceName,runningCount,desiredCount,deployments[0].rolloutState]' --output table`,
    tail_logs: perAgent((_, a) => `aws logs tail ${a.logGroupName} --follow --region ${d.region}`),
    exec_shell: perAgent((n) => `npm run ops -- ${d.stackName} exec ${n}`),
    // The keys go in a JSON file (file://): an inline JSON string would need double quotes here.
    put_secret: perAgent((n, a) => `aws secretsmanager put-secret-value --region ${d.region} --secret-id ${a.secretArn} --secret-string file://${n}-secret.json (a JSON object with the keys ${Object.values(a.settings.secretKeys).join(', ')})`),
  };
}

/** `quick_start`: the first deploy, step by step, as text. */
export function quickStart(d: DeploymentCommandsInput): string {
  const first = Object.keys(d.agents)[0];
  return [
    `Quick start of ${d.stackName} (the deployment_commands output has every command with its names):`,
    '1. Fill each agent\'s secret with its JSON keys: deployment_commands.put_secret.<agent>.',
    `2. Build and push the images, one folder per agent under services/: export TAG=v1 && npm run ops -- ${d.stackName} push-images --tag $TAG`,
    `3. Set imageTag to v1 under stacks.${d.stackName} and deploy again: the agents start (until then they run no task).`,
    `4. Check: curl ${d.baseUrl}/${first}${d.agents[first].settings.healthCheckPath}, then npm run ops -- ${d.stackName} status.`,
    `5. Watch: ${d.dashboardUrl}`,
  ].join('\n');
}
