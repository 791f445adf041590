/**
 * A past release's synthesized stacks, as `scripts/release-fixture.js` froze them (gzipped JSON of
 * the files its own test helpers wrote for an offline plan, images deployed).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** The fixtures' folder of a release. */
export const releaseDir = (release: string): string => path.resolve(__dirname, '..', 'fixtures', `release-${release}`);

/** The files `stack` of `release` wrote, by path relative to its configuration folder. */
export function releaseFiles(release: string, stack: string): Record<string, Buffer> {
  const file = path.join(releaseDir(release), `${stack}.json.gz`);
  if (!fs.existsSync(file)) throw new Error(`no fixture of ${stack} in release ${release} (${file}); write it with node scripts/release-fixture.js <ref> ${release}`);
  const { files } = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as { files: Record<string, string> };
  return Object.fromEntries(Object.entries(files).map(([p, b64]) => [p, Buffer.from(b64, 'base64')]));
}
