/**
 * The command line of `npm run ops`: `<stack> <command> [service...] [options]` (or `<command>
 * <stack> ...`, so `npm run destroy -- <stack>` reads as `ops destroy <stack>`), and its usage.
 */
import { UserError } from '../../src/core/errors';
import { STACK_NAMES } from '../../stacks';

/** Every command, in the order the usage lists them. */
export const OPS_COMMANDS = ['init', 'plan', 'apply', 'push-images', 'redeploy', 'status', 'logs', 'exec', 'rollback', 'destroy'] as const;
export type OpsCommand = (typeof OPS_COMMANDS)[number];

/** Commands that work on the stack's ECS services (they read its operations outputs). */
export const SERVICE_COMMANDS: readonly OpsCommand[] = ['push-images', 'redeploy', 'status', 'logs', 'exec', 'rollback'];

/** One line per command, for the usage. */
const COMMAND_HELP: Readonly<Record<OpsCommand, string>> = {
  init: 'terraform init in cdktf.out/stacks/<stack> (after a synth)',
  plan: 'npm run plan -- <stack>: the real plan with credentials (saved for apply), else the offline preview',
  apply: 'terraform apply: the saved plan when there is one',
  'push-images': '[service...] [--tag T] [--context DIR] [--dockerfile F]: docker build and push each image from its own build context',
  redeploy: '[service...]: a new deployment of each service (same task definition, images pulled again)',
  status: 'running and desired tasks and the rollout state of each service',
  logs: '<service> [--since 1h] [--no-follow]: tail the service\'s log group',
  exec: '<service> [--command /bin/sh]: ECS Exec into its first running task',
  rollback: '[service...]: each service back to the task definition revision before the one it runs',
  destroy: '[--yes]: empty what blocks a destroy, turn deletion protection off, then terraform destroy (docs/operations.md)',
};

/** What one run of `npm run ops` is asked to do. */
export interface OpsOptions {
  readonly stack: string;
  readonly command: OpsCommand;
  /** Services the command is about (positional names, `--service` or `--agent`); empty: all of them. */
  readonly services: readonly string[];
  /** `--tag`: the image tag to push. @default the stack's `imageTag` setting */
  readonly tag?: string;
  /** `--dockerfile`: passed to `docker build -f`. @default - the context's Dockerfile */
  readonly dockerfile?: string;
  /** `--context`: one build context for every image. @default - each image's `build_context` */
  readonly context?: string;
  readonly since: string;
  readonly follow: boolean;
  readonly execCommand: string;
  /** `--yes`: destroy without asking. */
  readonly yes: boolean;
  /** `--dry-run`: print the commands, run nothing. */
  readonly dryRun: boolean;
}

/** The usage: the stacks, and every command with what it does. */
export function usage(): string {
  const width = Math.max(...OPS_COMMANDS.map((c) => c.length));
  return [
    'usage: npm run ops -- <stack> <command> [options] [--dry-run]',
    `stacks: ${STACK_NAMES.join(', ')}`,
    'commands:',
    ...OPS_COMMANDS.map((c) => `  ${c.padEnd(width)}  ${COMMAND_HELP[c]}`),
    'Every command takes --dry-run: it prints the exact commands and runs none.',
  ].join('\n');
}

const isCommand = (a: string | undefined): a is OpsCommand => a !== undefined && (OPS_COMMANDS as readonly string[]).includes(a);

/** The stack and command, in either order. */
function stackAndCommand(first: string | undefined, second: string | undefined): { stack: string; command: OpsCommand } {
  if (isCommand(first) && second === undefined) throw new UserError(`${first} needs a stack\n${usage()}`);
  const [stack, command] = isCommand(first) && STACK_NAMES.includes(second!) ? [second!, first] : [first, second];
  if (!stack || !STACK_NAMES.includes(stack)) throw new UserError(`${stack ? `unknown stack ${JSON.stringify(stack)}\n` : ''}${usage()}`);
  if (!isCommand(command)) throw new UserError(`${command ? `unknown command ${JSON.stringify(command)}\n` : ''}${usage()}`);
  return { stack, command };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Reads `argv` (what follows `npm run ops --`); throws `UserError` with the usage when it makes no sense. */
export function parseOpsArgs(argv: readonly string[]): OpsOptions {
  const [first, second, ...rest] = argv;
  const { stack, command } = stackAndCommand(first, second);
  const services: string[] = [];
  const o: Mutable<OpsOptions> = { stack, command, services, since: '1h', follow: true, execCommand: '/bin/sh', yes: false, dryRun: false };
  const value = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UserError(`${flag} needs a value`);
    return v;
  };
  const flags: Readonly<Record<string, (i: number, flag: string) => void>> = {
    '--service': (i, f) => services.push(value(i, f)),
    '--agent': (i, f) => services.push(value(i, f)),
    '--tag': (i, f) => (o.tag = value(i, f)),
    '--dockerfile': (i, f) => (o.dockerfile = value(i, f)),
    '--context': (i, f) => (o.context = value(i, f)),
    '--since': (i, f) => (o.since = value(i, f)),
    '--command': (i, f) => (o.execCommand = value(i, f)),
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--dry-run') o.dryRun = true;
    else if (a === '--no-follow') o.follow = false;
    else if (a === '--yes') o.yes = true;
    else if (Object.hasOwn(flags, a)) flags[a](i++, a);
    else if (!a.startsWith('-') && SERVICE_COMMANDS.includes(command) && command !== 'status') services.push(a);
    else throw new UserError(`unknown argument ${JSON.stringify(a)} for ${command}\n${usage()}`);
  }
  if ((command === 'logs' || command === 'exec') && services.length !== 1) throw new UserError(`${command} needs one service name: npm run ops -- ${stack} ${command} <service>`);
  return o;
}
