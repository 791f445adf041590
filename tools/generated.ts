/**
 * The generated files' commands (`npm run schema`, `npm run docs`): write the files that differ from
 * what the code gives now, or with `--check` list them and fail, so a test or CI can ask whether
 * the committed files are current.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './terraform/cli';

/**
 * Writes each of `files` (path relative to the project root → content) that differs on disk, one
 * `wrote <file>` line each; with `check`, writes nothing and lists the stale ones on stderr with the
 * command that refreshes them. Returns the exit code: 1 when `check` found a stale file, else 0.
 */
export function writeGenerated(files: Readonly<Record<string, string>>, command: string, check: boolean): number {
  const stale: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(ROOT, file);
    if (fs.existsSync(full) && fs.readFileSync(full, 'utf8') === text) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  if (stale.length === 0) return 0;
  process.stderr.write(`out of date: ${stale.join(', ')}; run ${command}\n`);
  return 1;
}
