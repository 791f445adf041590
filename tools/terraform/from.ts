/**
 * The `--from` of `npm run plan -- <stack> --from <settings file | git ref>`: the settings a change
 * starts from. A file is a settings file (the format `STACK_SETTINGS_FILE` names) read with the
 * current cdktf.json context, in place of the current settings file. Anything else must be a git
 * ref: the settings as they were committed there, `git show <ref>:<path>` of the settings file the
 * app reads now (`STACK_SETTINGS_FILE`, a path inside the repository), and of `cdktf.json` (its
 * `context.settings`). The code is the current code either way: only the settings differ.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import type { OverrideSources } from '../../stacks/settings';
import { ROOT } from './cli';

/** How `--from` is read, for the usage. */
export const FROM_USAGE =
  'X is a settings file (read instead of STACK_SETTINGS_FILE, with the current cdktf.json context), or a git ref: the settings at that commit, git show <ref>:<path of $STACK_SETTINGS_FILE in the repository> and git show <ref>:cdktf.json (its context.settings)';

/** The settings a change starts from. */
export interface FromSettings {
  /** Where the app reads them. */
  readonly sources: OverrideSources;
  /** What they are, in a sentence: `the settings at git ref main (cdktf.json, settings/prod.json)`. */
  readonly description: string;
  /** Short: the file or the ref. */
  readonly label: string;
  /** Removes the temporary file a git ref's settings were written to. */
  readonly cleanup: () => void;
}

/** `git <args>` in the project; its output, or undefined when it fails. */
function git(args: readonly string[]): string | undefined {
  const r = spawnSync('git', [...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout : undefined;
}

/** The content of `file` (relative to the repository) at `ref`; throws when it is not there. */
function showAt(ref: string, file: string): string {
  const text = git(['show', `${ref}:${file}`]);
  if (text === undefined) throw new UserError(`--from ${ref}: ${file} does not exist at ${ref} (git show ${ref}:${file} failed)`);
  return text;
}

/** The settings of a git ref: its cdktf.json context, and its version of the current settings file. */
function atRef(ref: string, current: OverrideSources): FromSettings {
  const read = ['cdktf.json'];
  let context: unknown;
  try {
    context = (JSON.parse(showAt(ref, 'cdktf.json')) as { context?: Record<string, unknown> }).context?.settings;
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserError(`--from ${ref}: cdktf.json at ${ref} is not valid JSON: ${e.message}`);
    throw e;
  }
  let file: string | undefined;
  let tmp: string | undefined;
  if (current.file) {
    const relative = path.relative(ROOT, path.resolve(current.file)).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new UserError(`--from ${ref}: the settings file ${current.file} is outside the repository, so git has no version of it; give --from a settings file instead`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-from-'));
    file = path.join(tmp, path.basename(relative));
    fs.writeFileSync(file, showAt(ref, relative));
    read.push(relative);
  }
  return {
    sources: { context, file },
    description: `the settings at git ref ${ref} (${read.join(', ')})`,
    label: ref,
    cleanup: () => {
      if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Reads `--from`: a settings file when one exists at that path, else a git ref. */
export function readFromSettings(from: string, current: OverrideSources): FromSettings {
  if (fs.existsSync(from) && fs.statSync(from).isFile()) {
    return { sources: { context: current.context, file: from }, description: `the settings file ${from}`, label: from, cleanup: () => undefined };
  }
  if (git(['rev-parse', '--verify', '--quiet', `${from}^{commit}`]) === undefined) throw new UserError(`--from ${from}: neither a settings file nor a git ref`);
  return atRef(from, current);
}
