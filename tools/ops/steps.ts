/**
 * The commands `npm run ops` runs for the service commands (push-images, redeploy, status, logs,
 * exec, rollback), planned from the stack's operations outputs (`EcsPlatform.addOperationsOutputs`):
 * `ecs_cluster_name`, `ecs_services`, `ecr_images`, `endpoint_url`. Nothing here runs anything:
 * each command is a `Step`, which `--dry-run` prints and a real run executes.
 */
import { UserError } from '../../src/core/errors';
import type { OpsOptions } from './args';

/**
 * One step: a program and its arguments, or a shell script (pipes, loops, a value read by one
 * command and used by the next); in `cwd` when given (Terraform runs in the stack's directory),
 * else in the project root (where build contexts are).
 */
export type Step = ({ readonly argv: readonly string[] } | { readonly shell: string }) & { readonly cwd?: string };

/** One ECS service of the `ecs_services` output. */
export interface ServiceFacts {
  readonly name: string;
  readonly container: string;
  readonly log_group: string;
  readonly task_family: string;
  readonly image_tag: string;
}

/** One image of the `ecr_images` output. */
export interface ImageFacts {
  readonly repository_url: string;
  readonly build_context: string;
}

/** The operations outputs of an ECS stack, read. */
export interface OpsContract {
  readonly cluster: string;
  readonly services: Readonly<Record<string, ServiceFacts>>;
  readonly images: Readonly<Record<string, ImageFacts>>;
  readonly endpointUrl: string;
}

/** What a service command knows besides its options. */
export interface ServiceContext {
  readonly region: string;
  /** The `imageTag` setting, when the stack has one. */
  readonly imageTag?: string;
  readonly contract: OpsContract;
}

/** The operations outputs of `stack` (`outputs` by name); throws when the stack runs no ECS service. */
export function readContract(stack: string, outputs: Readonly<Record<string, unknown>>): OpsContract {
  const services = outputs.ecs_services;
  if (!services || typeof services !== 'object') throw new UserError(`${stack} runs no ECS service (it has no ecs_services output): only init, plan, apply and destroy apply to it`);
  return {
    cluster: String(outputs.ecs_cluster_name),
    services: services as Record<string, ServiceFacts>,
    images: (outputs.ecr_images ?? {}) as Record<string, ImageFacts>,
    endpointUrl: String(outputs.endpoint_url ?? ''),
  };
}

/** Single-quotes a word for sh when it needs it. */
export function quote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A step as a command line: `(cd <cwd> && <command>)` when it runs elsewhere than the project root. */
export function show(step: Step): string {
  const command = 'shell' in step ? step.shell : step.argv.map(quote).join(' ');
  return step.cwd ? `(cd ${quote(step.cwd)} && ${command})` : command;
}

/** The entries of `all` named in `wanted` (every entry when it is empty); throws on a name `all` lacks. */
function pick<T>(all: Readonly<Record<string, T>>, wanted: readonly string[], what: string): [string, T][] {
  const unknown = wanted.filter((w) => !(w in all));
  if (unknown.length > 0) throw new UserError(`unknown ${what} ${JSON.stringify(unknown[0])}; allowed: ${Object.keys(all).join(', ')}`);
  return Object.entries(all).filter(([k]) => wanted.length === 0 || wanted.includes(k));
}

/** docker login to the registry, then build and push each image from its own build context. */
function pushImages(o: OpsOptions, c: ServiceContext): Step[] {
  if (Object.keys(c.contract.images).length === 0) throw new UserError(`${o.stack} builds no image (its services run fixed image references): nothing to push`);
  const tag = o.tag ?? c.imageTag;
  if (!tag) throw new UserError('push-images needs --tag (the stack has no imageTag setting yet); then set imageTag to it and apply');
  const images = pick(c.contract.images, o.services, 'image');
  const registry = images[0][1].repository_url.split('/')[0];
  return [
    { shell: `aws ecr get-login-password --region ${quote(c.region)} | docker login --username AWS --password-stdin ${quote(registry)}` },
    ...images.flatMap(([, image]): Step[] => [
      { argv: ['docker', 'build', ...(o.dockerfile ? ['-f', o.dockerfile] : []), '-t', `${image.repository_url}:${tag}`, o.context ?? image.build_context] },
      { argv: ['docker', 'push', `${image.repository_url}:${tag}`] },
    ]),
  ];
}

/**
 * Each service back to the revision of its task family before the one it runs: the service's
 * current revision (describe-services), the family's ACTIVE revisions newest first
 * (list-task-definitions, filtered to the family: the prefix also matches longer family names),
 * the one after the current in that list, and update-service with it. One script per service, so
 * the dry run prints exactly what runs.
 */
function rollback(o: OpsOptions, c: ServiceContext): Step[] {
  const region = quote(c.region);
  const cluster = quote(c.contract.cluster);
  return pick(c.contract.services, o.services, 'service').map(([, s]): Step => {
    const service = quote(s.name);
    const family = s.task_family;
    return {
      shell: [
        `current=$(aws ecs describe-services --region ${region} --cluster ${cluster} --services ${service} --query 'services[0].taskDefinition' --output text)`,
        `previous=$(aws ecs list-task-definitions --region ${region} --family-prefix ${quote(family)} --status ACTIVE --sort DESC --query 'taskDefinitionArns' --output text | tr '\\t' '\\n' | grep -E '/${family}:[0-9]+$' | grep -A1 -Fx "$current" | sed -n 2p)`,
        `test -n "$previous" || { echo "no ACTIVE revision of ${family} before $current" >&2; exit 1; }`,
        `aws ecs update-service --region ${region} --cluster ${cluster} --service ${service} --task-definition "$previous" --query 'service.taskDefinition' --output text`,
      ].join('\n'),
    };
  });
}

/** ECS Exec into the first running task of one service. */
function exec(o: OpsOptions, c: ServiceContext): Step[] {
  const [[, s]] = pick(c.contract.services, o.services, 'service');
  const region = quote(c.region);
  const cluster = quote(c.contract.cluster);
  const task = `$(aws ecs list-tasks --region ${region} --cluster ${cluster} --service-name ${quote(s.name)} --desired-status RUNNING --query 'taskArns[0]' --output text)`;
  return [{ shell: `aws ecs execute-command --region ${region} --cluster ${cluster} --task "${task}" --container ${quote(s.container)} --interactive --command ${quote(o.execCommand)}` }];
}

/** The steps of a service command. */
export function serviceSteps(o: OpsOptions, c: ServiceContext): Step[] {
  const region = ['--region', c.region];
  const cluster = ['--cluster', c.contract.cluster];
  switch (o.command) {
    case 'push-images':
      return pushImages(o, c);
    case 'redeploy':
      return pick(c.contract.services, o.services, 'service').map(([, s]) => ({
        argv: ['aws', 'ecs', 'update-service', ...region, ...cluster, '--service', s.name, '--force-new-deployment', '--query', 'service.deployments[0].id', '--output', 'text'],
      }));
    case 'status':
      return [{ argv: ['aws', 'ecs', 'describe-services', ...region, ...cluster, '--services', ...Object.values(c.contract.services).map((s) => s.name), '--query', 'services[].[serviceName,taskDefinition,runningCount,desiredCount,deployments[0].rolloutState]', '--output', 'table'] }];
    case 'logs': {
      const [[, s]] = pick(c.contract.services, o.services, 'service');
      return [{ argv: ['aws', 'logs', 'tail', s.log_group, ...region, '--since', o.since, ...(o.follow ? ['--follow'] : [])] }];
    }
    case 'exec':
      return exec(o, c);
    case 'rollback':
      return rollback(o, c);
    default:
      throw new UserError(`${o.command} is not a service command`);
  }
}
