/**
 * `npm run ops -- <stack> <command> [options]`: the day-to-day operations of a deployed ECS stack
 * (document 003's Makefile: init, plan, apply, push images, logs), working on the synthesized stack
 * in `cdktf.out/stacks/<stack>` and on its Terraform outputs, so names and URLs are never typed by
 * hand.
 *
 *   init | plan | apply | destroy     synthesize, then terraform in cdktf.out/stacks/<stack>
 *                                     (plan writes tfplan; apply applies it when it exists)
 *   push-images [--tag T] [--agent A]... [--dockerfile F] [--context DIR]
 *                                     docker login to ECR, build and push each service's image
 *                                     (--build-arg AGENT_NAME=<name>); the tag defaults to the
 *                                     stack's imageTag setting
 *   redeploy [--agent A]...           start a new deployment of each service (same tag, new image)
 *   logs <agent> [--since 1h] [--no-follow]
 *   exec <agent> [--command /bin/sh]  ECS Exec into the agent's first running task
 *   status                            the services' running and desired counts
 *
 * Every command takes `--dry-run` (print the commands, run nothing). The commands read these
 * outputs: `ecr_repository_urls`, `cloudwatch_log_group_names`, `ecs_service_names` (maps by
 * service) and `ecs_cluster_name`; a stack without them cannot use the command that needs them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { createApp, synthesize } from './synth';
import { UserError } from '../src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, readOverrides } from '../stacks/settings';
import { STACK_NAMES, buildApp, resolveAppSettings } from '../stacks';
import { ROOT, terraformEnv } from './terraform/cli';

export const OPS_COMMANDS = ['init', 'plan', 'apply', 'destroy', 'push-images', 'redeploy', 'logs', 'exec', 'status'] as const;
export type OpsCommand = (typeof OPS_COMMANDS)[number];

export interface OpsOptions {
  readonly stack: string;
  readonly command: OpsCommand;
  /** Services the command is about (`--agent`, or the positional name of logs/exec). */
  readonly agents: string[];
  readonly tag?: string;
  readonly dockerfile: string;
  readonly context: string;
  readonly since: string;
  readonly follow: boolean;
  readonly execCommand: string;
  readonly dryRun: boolean;
}

/** What the commands know about the deployed stack. */
export interface StackFacts {
  readonly region: string;
  /** The `imageTag` setting, when the stack has one. */
  readonly imageTag?: string;
  /** `terraform output -json`, values only. */
  readonly outputs: Record<string, unknown>;
}

/** One step: a program and its arguments, or a shell pipeline (`docker login` reads a password from stdin). */
export type Step = { readonly argv: readonly string[] } | { readonly shell: string };

export function parseOpsArgs(argv: readonly string[]): OpsOptions {
  const [stack, command, ...rest] = argv;
  if (!stack || !STACK_NAMES.includes(stack)) throw new UserError(`usage: npm run ops -- <stack> <command>; ${stack ? `unknown stack ${JSON.stringify(stack)}; ` : ''}stacks: ${STACK_NAMES.join(', ')}`);
  if (!command || !(OPS_COMMANDS as readonly string[]).includes(command)) {
    throw new UserError(`usage: npm run ops -- ${stack} <command>; ${command ? `unknown command ${JSON.stringify(command)}; ` : ''}commands: ${OPS_COMMANDS.join(', ')}`);
  }
  const o = { stack, command: command as OpsCommand, agents: [] as string[], dockerfile: 'Dockerfile', context: '.', since: '1h', follow: true, execCommand: '/bin/sh', dryRun: false, tag: undefined as string | undefined };
  const value = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UserError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--dry-run') o.dryRun = true;
    else if (a === '--no-follow') o.follow = false;
    else if (a === '--agent') o.agents.push(value(i++, a));
    else if (a === '--tag') o.tag = value(i++, a);
    else if (a === '--dockerfile') o.dockerfile = value(i++, a);
    else if (a === '--context') o.context = value(i++, a);
    else if (a === '--since') o.since = value(i++, a);
    else if (a === '--command') o.execCommand = value(i++, a);
    else if (!a.startsWith('--') && (o.command === 'logs' || o.command === 'exec') && o.agents.length === 0) o.agents.push(a);
    else throw new UserError(`unknown argument ${JSON.stringify(a)} for ${o.command}`);
  }
  if ((o.command === 'logs' || o.command === 'exec') && o.agents.length !== 1) throw new UserError(`${o.command} needs one service name: npm run ops -- ${stack} ${o.command} <name>`);
  return o;
}

function mapOutput(facts: StackFacts, name: string, stack: string): Record<string, string> {
  const value = facts.outputs[name];
  if (!value || typeof value !== 'object') throw new UserError(`stack ${stack} has no output ${name} (apply it first, or this command does not apply to it)`);
  return value as Record<string, string>;
}

function pick(all: Record<string, string>, wanted: readonly string[], what: string): [string, string][] {
  const unknown = wanted.filter((w) => !(w in all));
  if (unknown.length > 0) throw new UserError(`unknown ${what} ${JSON.stringify(unknown[0])}; allowed: ${Object.keys(all).join(', ')}`);
  return Object.entries(all).filter(([k]) => wanted.length === 0 || wanted.includes(k));
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The steps of an output-driven command (everything but init/plan/apply/destroy). */
export function opsSteps(o: OpsOptions, facts: StackFacts): Step[] {
  const region = ['--region', facts.region];
  switch (o.command) {
    case 'push-images': {
      const tag = o.tag ?? facts.imageTag;
      if (!tag) throw new UserError(`push-images needs --tag (the stack has no imageTag setting yet); then set imageTag to it and apply`);
      const repos = pick(mapOutput(facts, 'ecr_repository_urls', o.stack), o.agents, 'service');
      const registry = repos[0][1].split('/')[0];
      return [
        { shell: `aws ecr get-login-password --region ${quote(facts.region)} | docker login --username AWS --password-stdin ${quote(registry)}` },
        ...repos.flatMap(([name, url]): Step[] => [
          { argv: ['docker', 'build', '-f', o.dockerfile, '--build-arg', `AGENT_NAME=${name}`, '-t', `${url}:${tag}`, o.context] },
          { argv: ['docker', 'push', `${url}:${tag}`] },
        ]),
      ];
    }
    case 'redeploy': {
      const cluster = String(facts.outputs.ecs_cluster_name ?? '');
      return pick(mapOutput(facts, 'ecs_service_names', o.stack), o.agents, 'service').map(([, service]) => ({
        argv: ['aws', 'ecs', 'update-service', ...region, '--cluster', cluster, '--service', service, '--force-new-deployment', '--query', 'service.deployments[0].id', '--output', 'text'],
      }));
    }
    case 'logs': {
      const [[, group]] = pick(mapOutput(facts, 'cloudwatch_log_group_names', o.stack), o.agents, 'service');
      return [{ argv: ['aws', 'logs', 'tail', group, ...region, '--since', o.since, ...(o.follow ? ['--follow'] : [])] }];
    }
    case 'exec': {
      const cluster = String(facts.outputs.ecs_cluster_name ?? '');
      const [[name, service]] = pick(mapOutput(facts, 'ecs_service_names', o.stack), o.agents, 'service');
      const task = `$(aws ecs list-tasks --region ${quote(facts.region)} --cluster ${quote(cluster)} --service-name ${quote(service)} --desired-status RUNNING --query 'taskArns[0]' --output text)`;
      return [{ shell: `aws ecs execute-command --region ${quote(facts.region)} --cluster ${quote(cluster)} --task "${task}" --container ${quote(name)} --interactive --command ${quote(o.execCommand)}` }];
    }
    case 'status': {
      const cluster = String(facts.outputs.ecs_cluster_name ?? '');
      const services = Object.values(mapOutput(facts, 'ecs_service_names', o.stack));
      return [{ argv: ['aws', 'ecs', 'describe-services', ...region, '--cluster', cluster, '--services', ...services, '--query', 'services[].[serviceName,runningCount,desiredCount,deployments[0].rolloutState]', '--output', 'table'] }];
    }
    default:
      throw new UserError(`${o.command} is a Terraform command`);
  }
}

/** The Terraform steps of init/plan/apply/destroy, in the stack's directory. */
export function terraformSteps(command: 'init' | 'plan' | 'apply' | 'destroy', planExists: boolean): Step[] {
  switch (command) {
    case 'init':
      return [{ argv: ['terraform', 'init'] }];
    case 'plan':
      return [{ argv: ['terraform', 'plan', '-out', 'tfplan'] }];
    case 'apply':
      return [{ argv: planExists ? ['terraform', 'apply', 'tfplan'] : ['terraform', 'apply'] }];
    case 'destroy':
      return [{ argv: ['terraform', 'destroy'] }];
  }
}

function show(step: Step): string {
  return 'shell' in step ? step.shell : step.argv.map(quote).join(' ');
}

function run(step: Step, cwd: string, env: NodeJS.ProcessEnv): number {
  const r = 'shell' in step ? spawnSync('/bin/sh', ['-c', step.shell], { cwd, env, stdio: 'inherit' }) : spawnSync(step.argv[0], step.argv.slice(1), { cwd, env, stdio: 'inherit' });
  if (r.error) throw new UserError(`cannot run ${'shell' in step ? 'sh' : step.argv[0]}: ${r.error.message}`);
  return r.status ?? 1;
}

function readContext(): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).context?.[SETTINGS_CONTEXT_KEY];
  } catch {
    return undefined;
  }
}

/** Synthesizes one stack into cdktf.out; returns its directory, region and `imageTag` setting. */
function synthStack(stack: string): { dir: string; region: string; imageTag?: string } {
  const sources = { context: readContext(), file: process.env[SETTINGS_FILE_ENV] };
  const settings = resolveAppSettings(readOverrides(sources)).stacks.get(stack) as { readonly region: string; readonly imageTag?: string };
  const app = createApp({ outdir: path.join(ROOT, 'cdktf.out') });
  buildApp(app, sources, { only: [stack] });
  synthesize(app);
  return { dir: path.join(ROOT, 'cdktf.out', 'stacks', stack), region: settings.region, imageTag: settings.imageTag };
}

function main(): number {
  const o = parseOpsArgs(process.argv.slice(2));
  const { dir, region, imageTag } = synthStack(o.stack);
  const env = { ...terraformEnv(), TF_IN_AUTOMATION: '', TF_INPUT: '1' };
  if (o.command === 'init' || o.command === 'plan' || o.command === 'apply' || o.command === 'destroy') {
    const steps = terraformSteps(o.command, fs.existsSync(path.join(dir, 'tfplan')));
    for (const step of steps) {
      process.stdout.write(`$ (cd ${path.relative(ROOT, dir)} && ${show(step)})\n`);
      if (!o.dryRun && run(step, dir, env) !== 0) return 1;
    }
    if (o.command === 'apply' && !o.dryRun) fs.rmSync(path.join(dir, 'tfplan'), { force: true });
    return 0;
  }
  const out = spawnSync('terraform', ['output', '-json', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  if (out.status !== 0) throw new UserError(`terraform output failed in ${path.relative(ROOT, dir)} (run npm run ops -- ${o.stack} init, and apply first):\n${out.stderr}`);
  const outputs = Object.fromEntries(Object.entries(JSON.parse(out.stdout || '{}') as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
  for (const step of opsSteps(o, { region, imageTag, outputs })) {
    process.stdout.write(`$ ${show(step)}\n`);
    if (!o.dryRun && run(step, ROOT, process.env) !== 0) return 1;
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main();
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    } else throw e;
  }
}
