process.on('exit', () => {
  const mods = Object.keys(require.cache).filter((f) => f.includes('provider-aws/lib/')).map((f) => f.replace(/.*provider-aws\/lib\//, '').replace(/\/index\.js$/, ''));
  const fs = require('fs');
  const types = new Set();
  for (const d of fs.readdirSync('cdktf.out/stacks')) { const j = JSON.parse(fs.readFileSync(`cdktf.out/stacks/${d}/cdk.tf.json`)); for (const t of Object.keys(j.resource || {})) types.add(t.replace(/^aws_/, '').replace(/_/g, '-')); for (const t of Object.keys(j.data || {})) types.add('data-aws-' + t.replace(/^aws_/, '').replace(/_/g, '-')); }
  const unused = mods.filter((m) => !types.has(m) && m !== 'provider');
  const sizes = unused.map((m) => [m, fs.statSync(require.resolve('@cdktf/provider-aws/lib/' + m)).size]);
  console.error('loaded', mods.length, 'unused', unused.length, sizes.sort((a, b) => b[1] - a[1]).map(([m, s]) => `${m}:${Math.round(s / 1024)}k`).join(' '));
});
