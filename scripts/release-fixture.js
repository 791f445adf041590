#!/usr/bin/env node
// Writes the upgrade test's fixture of a past release: each stack as that release synthesized it
// for an offline plan (its JSON, the Lambda assets beside it, its placeholder variables), with
// images deployed (`imageTag` set where the stack has one), gzipped into
// __tests__/fixtures/release-<name>/<stack>.json.gz. __tests__/terraform/upgrade.test.ts plans the
// current code against the state these leave.
//
//   node scripts/release-fixture.js <git ref> <name>      e.g. node scripts/release-fixture.js 5829817 0.4.0
//
// The release is checked out in a temporary worktree (this repository's node_modules linked in) and
// synthesized with its own code and test helpers; nothing of the current tree is used.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const [ref, name] = process.argv.slice(2);
if (!ref || !name) {
  process.stderr.write('usage: node scripts/release-fixture.js <git ref> <name>\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
const out = path.join(root, '__tests__', 'fixtures', `release-${name}`);
const tree = fs.mkdtempSync(path.join(os.tmpdir(), `release-${name}-`));
const git = (...args) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

git('worktree', 'add', '--detach', tree, ref);
try {
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  // Runs inside the release: its buildStack (preview: plan-time look-ups pinned) and writeStack.
  const program = `
    const fs = require('fs'), path = require('path');
    const { STACK_NAMES } = require('./stacks');
    const { buildStack } = require('./__tests__/helpers/synth');
    const { writeStack } = require('./__tests__/helpers/terraform');
    const result = {};
    for (const stack of STACK_NAMES) {
      let built;
      try { built = buildStack(stack, { stacks: { [stack]: { imageTag: 'v0-release' } } }, undefined, true); }
      catch { built = buildStack(stack, {}, undefined, true); }
      const { dir } = writeStack(built, 'json');
      const files = {};
      const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else files[path.relative(dir, p)] = fs.readFileSync(p).toString('base64'); } };
      walk(dir);
      delete files['preview_override.tf.json'];
      result[stack] = files;
    }
    process.stdout.write(JSON.stringify(result));
  `;
  const json = execFileSync(process.execPath, ['-r', './scripts/register.js', '-e', program], { cwd: tree, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  const stacks = JSON.parse(json);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  for (const [stack, files] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(out, `${stack}.json.gz`), zlib.gzipSync(JSON.stringify({ release: name, ref: git('rev-parse', ref).trim(), files }), { level: 9 }));
  }
  process.stdout.write(`wrote ${Object.keys(stacks).length} stacks of ${name} (${ref}) to ${path.relative(root, out)}\n`);
} finally {
  fs.rmSync(path.join(tree, 'node_modules'), { force: true });
  git('worktree', 'remove', '--force', tree);
}
