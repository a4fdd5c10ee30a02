// Files ksim reads (scenarios, traces, sweep results and cells): each must be a regular file of
// bounded size, checked before it is opened, so a FIFO never blocks a read, a device is never read
// forever and a directory or an unreadable path is one UserError naming the file and the reason.
// A UTF-8 byte order mark, which some editors add, is dropped and reported (`bom`).

import * as fs from 'node:fs';
import { UserError } from '../scenario/user-error.ts';

/** The three bytes of a UTF-8 byte order mark. */
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What a stat says a path is, in words, for errors ("a directory", "a FIFO (named pipe)"...). */
export function fileKindOf(stats: fs.Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** One line saying why `path` cannot be used, for an fs error code (ENOENT, EACCES...). */
export function fsProblem(code: string | undefined, fallback: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'it is a directory';
    case 'EIO':
      return 'input/output error';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    default:
      return fallback;
  }
}

/**
 * Checks that `path` names a regular file of at most `bytesMax` bytes (symbolic links are followed)
 * and returns its size. `what` names it in errors: `scenario "x.json"`, `trace "run.jsonl"`.
 */
export function checkInputFile(path: string, what: string, bytesMax: number): number {
  if (path === '') throw new UserError(`${what}: the path is empty`);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot read ${what}: ${fsProblem(err.code, err.message)}`);
  }
  if (!stats.isFile()) throw new UserError(`cannot read ${what}: it is ${fileKindOf(stats)}, not a regular file`);
  if (stats.size > bytesMax)
    throw new UserError(`cannot read ${what}: ${stats.size} bytes is more than the ${bytesMax} bytes ksim reads for it; is it the right file?`);
  return stats.size;
}

/** Opens a checked input file for reading; returns the descriptor. */
export function openInputFile(path: string, what: string, bytesMax: number): number {
  checkInputFile(path, what, bytesMax);
  try {
    return fs.openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot read ${what}: ${fsProblem(err.code, err.message)}`);
  }
}

interface InputText {
  text: string;
  /** Whether the file started with a UTF-8 byte order mark (dropped from `text`). */
  bom: boolean;
}

/** Reads a checked input file as UTF-8 text, without a leading byte order mark. */
export function readInputText(path: string, what: string, bytesMax: number): InputText {
  const fd = openInputFile(path, what, bytesMax);
  let bytes: Buffer;
  try {
    // Read through the descriptor, never past bytesMax: the file may have grown since the stat.
    const size = Math.min(fs.fstatSync(fd).size, bytesMax);
    bytes = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, bytes, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    bytes = bytes.subarray(0, off);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UserError(`cannot read ${what}: ${fsProblem(err.code, err.message)}`);
  } finally {
    fs.closeSync(fd);
  }
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  return { text: (bom ? bytes.subarray(3) : bytes).toString('utf8'), bom };
}

/** Whether the bytes start with a UTF-8 byte order mark. */
export function startsWithBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes.subarray(0, 3).equals(UTF8_BOM);
}
