#!/usr/bin/env node
// Proves a refactor moved nothing a user deploys: synthesizes the whole app at two git revisions
// over a matrix of settings (defaults, images set, plan-time look-ups pinned, every option the
// tests plan, the example files), in JSON and in HCL, and compares every file byte for byte
// (cdk.tf.json, cdk.tf, manifest.json, Lambda assets).
//
//   node scripts/compare-synth.js [base-ref] [head-ref]     (defaults: HEAD~1 and the work tree)
//
// Each revision is checked out into a temporary git worktree that shares this checkout's
// node_modules; the app runs as cdktf runs it (the `app` command of that revision's cdktf.json)
// with CDKTF_OUTDIR, STACK_SETTINGS_FILE and SYNTH_HCL_OUTPUT set. The matrix is this file's, so
// both revisions get the same settings. Prints one line per variant and form, then a verdict;
// exits 1 on any difference or when one revision fails where the other does not.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** Offline look-ups pinned for every stack, as the offline preview pins them. */
const zones = (region, n = 2) => Array.from({ length: n }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
const AMI = 'ami-0123456789abcdef0';
const ACCOUNT = '123456789012';
const pinned = {
  'state-bootstrap': { accountId: ACCOUNT },
  'artwork-matcher-demo': { accountId: ACCOUNT, network: { availabilityZones: zones('eu-west-1'), natInstance: { amiId: AMI } } },
  'artwork-matcher-staging': { accountId: ACCOUNT, network: { availabilityZones: zones('eu-west-1') } },
  'artwork-matcher-production': { accountId: ACCOUNT, network: { availabilityZones: zones('eu-west-1') }, gpu: { amiId: AMI } },
  'vision-validator': { accountId: ACCOUNT, network: { availabilityZones: zones('us-east-1') }, gpu: { amiId: AMI } },
  karmacadabra: { accountId: ACCOUNT, network: { availabilityZones: zones('us-east-1') } },
  'ai-predictor': { accountId: ACCOUNT, network: { availabilityZones: zones('us-east-1') } },
  'nutrition-video-analysis': { accountId: ACCOUNT, network: { availabilityZones: zones('us-east-1') } },
};
const images = {
  'artwork-matcher-demo': { imageTag: 'a1b2c3d' },
  'artwork-matcher-staging': { imageTag: 'a1b2c3d' },
  'artwork-matcher-production': { imageTag: 'a1b2c3d' },
  karmacadabra: { imageTag: 'a1b2c3d' },
  'ai-predictor': { imageTag: 'a1b2c3d' },
  'nutrition-video-analysis': { imageTag: 'a1b2c3d' },
};
const merge = (...docs) => {
  const out = {};
  for (const d of docs) for (const [k, v] of Object.entries(d)) out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] ? merge(out[k], v) : v;
  return out;
};

/** name -> settings document (undefined: no settings file). */
const MATRIX = {
  defaults: undefined,
  images: { stacks: images },
  pinned: { stacks: pinned },
  'pinned-images': { stacks: merge(pinned, images) },
  'production-every-option': {
    remoteState: { bucket: 'acme-tf-state', region: 'eu-west-1', dynamodbTable: 'terraform-state-lock' },
    stacks: {
      'artwork-matcher-production': merge(pinned['artwork-matcher-production'], {
        imageTag: 'a1b2c3d',
        domain: { name: 'artwork.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        cloudfront: { enabled: true, cachedPathPatterns: ['/static/*'], originFacingPrefixListId: 'pl-0123456789abcdef0' },
        budget: { enabled: true, monthlyLimitUsd: 1500, emails: ['finance@example.com'] },
        cicd: { githubRepository: 'acme/artwork-matcher', environments: ['production'] },
        cache: { enabled: true },
      }),
    },
  },
  'demo-lean': {
    stacks: {
      'artwork-matcher-demo': merge(pinned['artwork-matcher-demo'], {
        imageTag: 'a1b2c3d',
        ingress: 'httpApi',
        offHours: { stopSchedule: 'cron(0 19 ? * MON-FRI *)', startSchedule: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Paris' },
      }),
    },
  },
  'https-and-three-zones': {
    stacks: {
      'artwork-matcher-staging': { imageTag: 'a1b2c3d', network: { azCount: 3 }, alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789', tls13Only: true } },
      karmacadabra: { imageTag: 'a1b2c3d', network: { azCount: 3 }, xrayTracing: true, alb: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' } },
      'vision-validator': { network: { azCount: 3 }, alb: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789' }, gpu: { spot: true, gpuMetrics: true } },
      'ai-predictor': { imageTag: 'a1b2c3d', network: { azCount: 3 } },
      'nutrition-video-analysis': { imageTag: 'a1b2c3d', network: { azCount: 3 } },
    },
  },
};
// Every example settings file of this checkout, as a user would pass it.
const examplesDir = path.join(ROOT, 'examples');
for (const f of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(fs.readFileSync(path.join(examplesDir, f), 'utf8'));
  delete doc.$schema;
  MATRIX[`example-${path.basename(f, '.json')}`] = doc;
}

function git(args, cwd = ROOT) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A directory holding `ref` (a worktree), or the work tree itself for "WORKTREE". */
function checkout(ref, scratch) {
  if (ref === 'WORKTREE') return { dir: ROOT, label: 'work tree', cleanup: () => {} };
  const sha = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  const dir = path.join(scratch, `wt-${sha.slice(0, 10)}`);
  git(['worktree', 'add', '--detach', '--force', dir, sha]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { dir, sha, label: `${ref} (${sha.slice(0, 10)})`, cleanup: () => git(['worktree', 'remove', '--force', dir]) };
}

/** Synthesizes the app in `dir` for every variant and form into `out/<variant>/<form>`. */
function synthAll(dir, out, settingsDir) {
  const app = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')).app;
  const results = {};
  for (const [name, doc] of Object.entries(MATRIX)) {
    let file;
    if (doc !== undefined) {
      file = path.join(settingsDir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    }
    for (const form of ['json', 'hcl']) {
      const outdir = path.join(out, name, form);
      fs.rmSync(path.join(dir, 'cdktf.out'), { recursive: true, force: true });
      const env = { ...process.env, CDKTF_OUTDIR: path.join(dir, 'cdktf.out'), CHECKPOINT_DISABLE: '1' };
      delete env.STACK_SETTINGS_FILE;
      delete env.SYNTH_HCL_OUTPUT;
      if (file) env.STACK_SETTINGS_FILE = file;
      if (form === 'hcl') env.SYNTH_HCL_OUTPUT = 'true';
      const r = spawnSync('sh', ['-c', app], { cwd: dir, env, encoding: 'utf8' });
      fs.mkdirSync(path.dirname(outdir), { recursive: true });
      if (fs.existsSync(path.join(dir, 'cdktf.out'))) fs.renameSync(path.join(dir, 'cdktf.out'), outdir);
      else fs.mkdirSync(outdir, { recursive: true });
      results[`${name}/${form}`] = { status: r.status, stderr: (r.stderr || '').trim() };
    }
  }
  return results;
}

function filesUnder(dir, base = dir, into = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, base, into);
    else into.push(path.relative(base, p));
  }
  return into.sort();
}

function main() {
  const [baseRef = 'HEAD~1', headRef = 'WORKTREE'] = process.argv.slice(2);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-synth-'));
  const settingsDir = path.join(scratch, 'settings');
  fs.mkdirSync(settingsDir);
  const sides = [baseRef, headRef].map((ref) => checkout(ref, scratch));
  let same = true;
  try {
    // A commit's outputs are kept (by commit and matrix) for the next comparison against it.
    const matrixKey = require('crypto').createHash('sha1').update(JSON.stringify(MATRIX)).digest('hex').slice(0, 10);
    const outs = sides.map((side, i) => {
      const cache = side.sha ? path.join(os.tmpdir(), 'compare-synth-cache', `${side.sha}-${matrixKey}`) : undefined;
      if (cache && fs.existsSync(path.join(cache, 'results.json'))) {
        process.stdout.write(`reusing the outputs of ${side.label} (${cache})\n`);
        return { out: cache, results: JSON.parse(fs.readFileSync(path.join(cache, 'results.json'), 'utf8')) };
      }
      const out = path.join(scratch, `out-${i}`);
      process.stdout.write(`synthesizing ${Object.keys(MATRIX).length} variants x JSON, HCL at ${side.label}\n`);
      const results = synthAll(side.dir, out, settingsDir);
      if (cache) {
        fs.mkdirSync(path.dirname(cache), { recursive: true });
        fs.cpSync(out, cache, { recursive: true });
        fs.writeFileSync(path.join(cache, 'results.json'), JSON.stringify(results));
      }
      return { out, results };
    });
    let files = 0;
    let bytes = 0;
    for (const key of Object.keys(outs[0].results)) {
      const [a, b] = outs.map((o) => o.results[key]);
      const dirs = outs.map((o) => path.join(o.out, key));
      const lists = dirs.map((d) => filesUnder(d));
      const differing = [];
      for (const f of new Set([...lists[0], ...lists[1]])) {
        const [x, y] = dirs.map((d) => (fs.existsSync(path.join(d, f)) ? fs.readFileSync(path.join(d, f)) : undefined));
        if (!x || !y || !x.equals(y)) differing.push(f);
        else {
          files += 1;
          bytes += x.length;
        }
      }
      const statusSame = a.status === b.status && (a.status === 0 || a.stderr === b.stderr);
      if (differing.length === 0 && statusSame) {
        process.stdout.write(`  identical  ${key} (${lists[0].length} files${a.status === 0 ? '' : `, both fail: ${a.stderr.split('\n').pop()}`})\n`);
      } else {
        same = false;
        process.stdout.write(`  DIFFERENT  ${key}: ${differing.length} files${statusSame ? '' : ` (exit ${a.status} vs ${b.status})`}\n`);
        for (const f of differing.slice(0, 10)) process.stdout.write(`             ${f}\n`);
        if (!statusSame) process.stdout.write(`             base: ${a.stderr.split('\n').slice(-3).join(' | ')}\n             head: ${b.stderr.split('\n').slice(-3).join(' | ')}\n`);
      }
    }
    process.stdout.write(same ? `byte-identical: ${files} files, ${(bytes / 1e6).toFixed(1)} MB\n` : `DIFFERENT (outputs kept in ${scratch})\n`);
  } finally {
    for (const s of sides) s.cleanup();
    if (same) fs.rmSync(scratch, { recursive: true, force: true });
  }
  return same ? 0 : 1;
}

process.exit(main());
