/**
 * Reading schema files safely.
 *
 * A schema names its includes, so whatever path it names is opened: only
 * regular files are read (a device such as /dev/zero, a FIFO or a directory
 * is refused without reading), no file may exceed MAX_SCHEMA_FILE_BYTES
 * (checked before and while reading), and the text must be valid UTF-8, as
 * QEMU reads it.  Failures are SchemaFileErrors with a message fit for a
 * located diagnostic.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineMap } from './line-map.js';

/** The most a schema file may hold: 16 MiB.  QEMU's own largest module
 *  (block-core.json) is about 250 KiB. */
export const MAX_SCHEMA_FILE_BYTES = 16 * 1024 * 1024;

/**
 * What kept a file from being read: it is not there, it is a folder or no
 * regular file (a device, a FIFO, a socket), it is too large, it may not be
 * opened, or its text is not UTF-8 (the one failure inside the file).
 */
export type ReadFailure = 'missing' | 'folder' | 'not-regular' | 'too-large' | 'unreadable' | 'encoding';

/** Why a file could not be read; `at` locates a problem inside its text. */
export class SchemaFileError extends Error {
  constructor(
    message: string,
    readonly failure: ReadFailure,
    readonly at: { readonly line: number; readonly column: number } | null = null,
  ) {
    super(message);
    this.name = 'SchemaFileError';
  }
}

/** The failure an error of opening a file stands for. */
function openFailure(e: unknown): ReadFailure {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  return code === 'EISDIR' ? 'folder' : 'unreadable';
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
};

/** The reason a read failed, in the words the operating system uses. */
export function describeReadError(e: unknown): string {
  if (e instanceof SchemaFileError) return e.message;
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ERRNO_TEXT[code] ?? (e instanceof Error ? e.message : String(e));
}

const TOO_LARGE = `larger than ${MAX_SCHEMA_FILE_BYTES / 1024 / 1024} MiB, the most a schema file may hold`;

/** Reads one schema file as text; throws SchemaFileError. */
export function readSchemaFile(path: string): string {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO cannot wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new SchemaFileError(describeReadError(e), openFailure(e));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new SchemaFileError('Is a directory', 'folder');
    if (!stat.isFile()) throw new SchemaFileError('not a regular file (qapi-ts reads no devices, FIFOs or sockets)', 'not-regular');
    if (stat.size > MAX_SCHEMA_FILE_BYTES) throw new SchemaFileError(TOO_LARGE, 'too-large');
    return decodeUtf8(readBounded(fd, stat.size));
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end, but never more than the bound (a file may grow, or
 *  report size 0 and still have content, as /proc files do).  One buffer,
 *  a byte larger than the file's size: the read that finds the end reads
 *  into that byte, and a file of the size it reported is read without
 *  another buffer (a schema has dozens of files). */
function readBounded(fd: number, sizeHint: number): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(sizeHint > 0 ? sizeHint + 1 : 64 * 1024, MAX_SCHEMA_FILE_BYTES + 1));
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      // More than the file said: twice the room, up to a byte past the bound.
      const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_SCHEMA_FILE_BYTES + 1));
      buffer.copy(larger, 0, 0, total);
      buffer = larger;
    }
    const n = readSync(fd, buffer, total, buffer.length - total, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_SCHEMA_FILE_BYTES) throw new SchemaFileError(TOO_LARGE, 'too-large');
  }
  return buffer.subarray(0, total);
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** UTF-8 as Python decodes it (a byte-order mark stays a character); an
 *  invalid sequence is located by line and column. */
export function decodeUtf8(bytes: Uint8Array): string {
  // Validating first is much faster than a fatal TextDecoder; the decoder
  // is asked only for the rare file that fails, for its error.
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return strict.decode(bytes);
  } catch {
    const bad = firstInvalidByte(bytes);
    const before = lenient.decode(bytes.subarray(0, bad));
    const map = new LineMap(before);
    const offset = before.length;
    const at = map.position(offset);
    const byte = `byte 0x${bytes[bad]!.toString(16).padStart(2, '0')}`;
    // A NUL near the start: a binary file, most likely included by mistake.
    const binary = bytes.subarray(0, 8192).includes(0);
    throw new SchemaFileError(
      binary
        ? `this looks like a binary file, not a QAPI schema (${byte} is not UTF-8)`
        : `this file is not valid UTF-8 (${byte}); schema files are UTF-8 text`,
      'encoding',
      at,
    );
  }
}

/** The index of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** A file's content as a SHA-256 in hex: of its bytes, or of a text as
 *  read (the same for a file that is valid UTF-8, as schema files are). */
export function contentDigest(content: string | Uint8Array): string {
  // node:crypto is loaded only here, when a digest is wanted: loading it
  // costs a short run (`check`, which wants none) several milliseconds.
  // The one-shot hash: no Hash object, so no stream machinery to load.
  const { hash } = process.getBuiltinModule('node:crypto');
  return hash('sha256', content, 'hex');
}

/**
 * Digests of texts hashed again and again (`generate --watch` stamps its
 * inputs and outputs after every edit, and most are as before): a text
 * equal to one of the previous run has that text's digest.  Texts no run
 * asked for since the previous one are forgotten.
 */
export class DigestMemo {
  private earlier = new Map<string, string>();
  private current = new Map<string, string>();

  digest(content: string): string {
    let digest = this.current.get(content);
    if (digest === undefined) {
      digest = this.earlier.get(content) ?? contentDigest(content);
      this.current.set(content, digest);
    }
    return digest;
  }

  /** Ends a run: what it hashed is what the next one finds. */
  endRun(): void {
    this.earlier = this.current;
    this.current = new Map();
  }
}

/**
 * Files read again and again (`generate --watch` reads the whole schema
 * after every edit): a file whose device, inode, size and modification
 * and change times (in nanoseconds) are those it had when it was last
 * read is not read again; the text read then is its text.  What the file
 * system would not show in those (the same size written again within one
 * tick of the clock it stamps times with, a few milliseconds) is not seen:
 * a watch reads after a quiet time longer than that tick, so a later write
 * has a later time.
 */
export class KeptTexts {
  private readonly kept = new Map<string, { readonly stat: string; readonly text: string }>();

  read(path: string, readFile: (path: string) => string): string {
    const key = resolve(path);
    let stat: string | null;
    try {
      // Before reading: a write during the read changes it, and the next
      // call reads again.
      const s = statSync(path, { bigint: true });
      stat = `${s.dev} ${s.ino} ${s.size} ${s.mtimeNs} ${s.ctimeNs}`;
    } catch {
      stat = null;
    }
    const kept = this.kept.get(key);
    if (stat !== null && kept?.stat === stat) return kept.text;
    this.kept.delete(key);
    const text = readFile(path);
    if (stat !== null) this.kept.set(key, { stat, text });
    return text;
  }
}
