// Preloaded by the benchmark: on exit, reports this process's peak RSS (KiB) on stderr.
'use strict';
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
