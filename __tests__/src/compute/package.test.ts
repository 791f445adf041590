import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { packageDirectory } from '../../../src/compute/lambda/package';
import { bootstrapCodePath } from '../../../src/compute/lambda';

/** CRC-32 of `data`, as zlib computes it (the trailer of a gzip member holds it). */
function crcOf(data: Buffer): number {
  const gzip = zlib.gzipSync(data);
  return gzip.readUInt32LE(gzip.length - 8);
}

/** The entries of a zip archive, read back through its central directory (each entry's CRC-32 checked). */
function unzip(zip: Buffer): { name: string; data: Buffer; mode: number; method: number; date: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const date = zip.readUInt16LE(p + 14);
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const body = zip.subarray(local + 30 + zip.readUInt16LE(local + 26), local + 30 + zip.readUInt16LE(local + 26) + size);
    const data = method === 8 ? zlib.inflateRawSync(body) : body;
    expect(crcOf(data)).toBe(crc);
    out.push({ name, data, mode, method, date });
    p += 46 + nameLength;
  }
  return out;
}

describe('Lambda deployment packages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-src-'));
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'index.py'), 'def handler(event, context):\n    return {"statusCode": 200}\n'.repeat(20));
  fs.writeFileSync(path.join(dir, 'lib', 'b.txt'), 'b');
  fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  process.env.LAMBDA_PACKAGE_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-cache-'));

  it('zips a directory deterministically: sorted entries, fixed dates, Unix modes, deflate or store', () => {
    const zip = fs.readFileSync(packageDirectory(dir));
    const entries = unzip(zip);
    expect(entries.map((e) => e.name)).toEqual(['index.py', 'lib/b.txt', 'run.sh']);
    expect(entries.map((e) => e.data.toString())).toEqual([fs.readFileSync(path.join(dir, 'index.py'), 'utf8'), 'b', '#!/bin/sh\necho hi\n']);
    expect(entries.map((e) => e.mode.toString(8))).toEqual(['100644', '100644', '100755']);
    expect(entries.map((e) => e.method)).toEqual([8, 0, 0]); // the repeated file deflates; one byte is stored
    expect(new Set(entries.map((e) => e.date))).toEqual(new Set([(0 << 9) | (1 << 5) | 1]));
  });

  it('gives the same bytes and path for the same content, whatever the files\' times, and a new one when a file changes', () => {
    const first = packageDirectory(dir);
    const bytes = fs.readFileSync(first);
    fs.utimesSync(path.join(dir, 'lib', 'b.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    fs.rmSync(first);
    expect(packageDirectory(dir)).toBe(first);
    expect(fs.readFileSync(first).equals(bytes)).toBe(true);
    fs.writeFileSync(path.join(dir, 'lib', 'b.txt'), 'c');
    expect(packageDirectory(dir)).not.toBe(first);
  });

  it('stores zlib\'s CRC-32 of each file and names beyond ASCII in UTF-8', () => {
    const unicode = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-utf8-'));
    fs.writeFileSync(path.join(unicode, 'é.txt'), '123456789');
    const zip = fs.readFileSync(packageDirectory(unicode));
    expect(unzip(zip).map((e) => e.name)).toEqual(['é.txt']);
    // The CRC-32 check value of "123456789", in the central directory.
    expect(zip.readUInt32LE(zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 16)).toBe(0xcbf43926);
  });

  it('packages the python bootstrap: index.py with a handler', () => {
    const entries = unzip(fs.readFileSync(packageDirectory(bootstrapCodePath('python3.12'))));
    expect(entries.map((e) => e.name)).toEqual(['index.py']);
    expect(entries[0].data.toString()).toContain('def handler(event, context)');
  });
});
