/** Temporary folders of one test file, removed after its tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A function that makes a fresh temporary folder (`<tmp>/<prefix>XXXXXX`); every one is removed in `afterAll`. */
export function useTempDirs(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
