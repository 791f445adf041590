/**
 * Deployment packages for Lambda: a directory zipped in-process, byte for byte the same on every
 * machine and every run (sorted entries, fixed timestamps, fixed modes), so `source_code_hash` only
 * changes when a file does. cdktf's own ARCHIVE assets start a Node.js process per asset (about
 * 0.2 s each) and stamp the files' modification times into the zip; this writes the zip once per
 * content into a cache directory and hands cdktf a FILE asset to copy.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/** Largest deployment package Lambda accepts as a direct upload. */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Where built packages are kept (content-addressed, safe to delete). */
function packageCacheDir(): string {
  return process.env.LAMBDA_PACKAGE_CACHE ?? path.join(os.tmpdir(), 'cdktf-aws-deployments-lambda');
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `data` (zlib's when the runtime has it). */
function crc32(data: Buffer): number {
  const native = (zlib as unknown as { crc32?: (d: Buffer) => number }).crc32;
  if (native) return native(data) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface Entry {
  readonly name: string;
  readonly data: Buffer;
  readonly executable: boolean;
}

/** Every file under `dir`, by its posix path relative to `dir`, sorted. */
function filesOf(dir: string): Entry[] {
  const out: Entry[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of fs.readdirSync(abs).sort()) {
      const full = path.join(abs, name);
      const relName = rel ? `${rel}/${name}` : name;
      const stat = fs.statSync(full);
      if (stat.isDirectory()) walk(full, relName);
      else if (stat.isFile()) out.push({ name: relName, data: fs.readFileSync(full), executable: (stat.mode & 0o111) !== 0 });
    }
  };
  walk(dir, '');
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A zip archive of `entries`: deflated (or stored when that is smaller), 1980-01-01 timestamps, Unix modes 644/755. */
function zipEntries(entries: readonly Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const deflated = zlib.deflateRawSync(e.data, { level: 9 });
    const stored = deflated.length >= e.data.length;
    const body = stored ? e.data : deflated;
    const crc = crc32(e.data);
    const flags = /[^\x20-\x7e]/.test(e.name) ? 0x0800 : 0; // UTF-8 names
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, zip 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((((e.executable ? 0o100755 : 0o100644) << 16) >>> 0), 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Zips `dir` (absolute) into the package cache and returns the zip's path. The same content always
 * gives the same bytes and the same path; building it again is skipped.
 */
export function packageDirectory(dir: string): string {
  const entries = filesOf(dir);
  if (entries.length === 0) throw new Error(`${dir} has no files to package`);
  const digest = crypto.createHash('sha256');
  for (const e of entries) digest.update(e.name).update('\0').update(e.executable ? 'x' : '-').update(e.data).update('\0');
  const hash = digest.digest('hex').slice(0, 32);
  const file = path.join(packageCacheDir(), hash, 'package.zip');
  if (fs.existsSync(file)) return file;
  const zip = zipEntries(entries);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, zip);
  fs.renameSync(tmp, file);
  return file;
}
