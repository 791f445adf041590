/**
 * The boundaries `npm run lint` enforces (dependency-cruiser with .dependency-cruiser.cjs): the
 * project itself passes, and a small project that breaks each rule fails with that rule's name.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Runs dependency-cruiser with the project's rules in `dir` over `targets`. */
function cruise(dir: string, targets: readonly string[]): Violation[] {
  const r = spawnSync(process.execPath, [DEPCRUISE, ...targets, '--config', CONFIG, '--output-type', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!r.stdout) throw new Error(`dependency-cruiser failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** A throw-away project with `files` (path -> source), the project's node_modules and tsconfig. */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boundaries-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('import boundaries', () => {
  it('hold in the project', () => {
    expect(cruise(ROOT, ['main.ts', 'src', 'stacks', 'tools'])).toEqual([]);
  });

  it('fail on a project that breaks each rule, naming the rule', () => {
    const dir = project({
      'main.ts': "import './stacks';\n",
      // The ground floor importing a construct, and the library importing the toolchain.
      'src/core/naming.ts': "import { Vpc } from '../network/vpc';\nexport const n = Vpc;\n",
      'src/network/vpc.ts': "import { report } from '../../tools/report';\nexport class Vpc { r = report; }\n",
      // A construct importing a pattern, and an npm package the library may not use.
      'src/data/bucket.ts': "import { Platform } from '../patterns/platform';\nimport * as yaml from 'typescript';\nexport const b = [Platform, yaml];\n",
      'src/patterns/platform.ts': "export class Platform {}\n",
      // cdktf's internals outside tools/synth, beside its public API (allowed).
      'src/core/tokens.ts': "import { resolve } from 'cdktf/lib/_tokens';\nimport { Token } from 'cdktf';\nexport const t = [resolve, Token];\n",
      // A cycle.
      'src/compute/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/compute/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      // A stack importing another stack's internals, the toolchain, and a raw provider resource.
      'stacks/index.ts': "import './one/stack';\n",
      'stacks/one/stack.ts': "import { two } from '../two/stack';\nimport { report } from '../../tools/report';\nimport { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';\nexport const one = [two, report, S3Bucket];\n",
      'stacks/two/stack.ts': 'export const two = 2;\n',
      // The toolchain reading a stack's internals.
      'tools/report.ts': "import { two } from '../stacks/two/stack';\nexport const report = two;\n",
    });
    try {
      const rules = [...new Set(cruise(dir, ['main.ts', 'src', 'stacks', 'tools']).map((v) => v.rule))].sort();
      expect(rules).toEqual([
        'app-creates-no-raw-resources',
        'app-uses-the-library',
        'constructs-use-no-pattern',
        'core-imports-no-construct',
        'library-dependencies',
        'library-stands-alone',
        'library-uses-no-private-cdktf',
        'no-circular',
        'stacks-are-independent',
        'toolchain-reads-the-app-surface',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
