// Files and directories ksim writes (traces, sweep directories and their cells, HTML pages, SVG
// charts), written so that a user's path can never be damaged:
//
// - only a regular file or a missing path is replaced; a directory, a device (/dev/full), a FIFO,
//   a socket or a symbolic link at the target is refused, before any work is done;
// - content goes to a temporary file beside the target, created exclusively (O_CREAT|O_EXCL: an
//   existing file or a symbolic link at that name is never followed or reused), fsynced, then
//   renamed over the target, so the target only ever holds a complete version;
// - temporary files left by a process that was killed (kill -9) are removed when the same target is
//   written again (stale: their process is gone);
// - an output directory is created one level at a time (never Node's recursive mkdir, which spins
//   forever on some paths under /proc);
// - every problem a user can fix (missing or unwritable directory, full disk...) is a one-line
//   UserError naming the path and the reason.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../scenario/user-error.ts';
import { fileKindOf, fsProblem } from './input-file.ts';

/** Attempts at a fresh temporary name before giving up (each attempt meets a leftover of ours). */
const TEMP_ATTEMPTS_MAX = 100;
/** Directory levels ensureOutputDir creates at most. */
const DIR_LEVELS_MAX = 64;

function cannotWrite(what: string, e: unknown): UserError {
  const err = e as NodeJS.ErrnoException;
  return new UserError(`cannot write ${what}: ${fsProblem(err.code, err.message)}`);
}

/** Whether an fs error is the user's to fix (a path, a permission, a full disk), not a ksim bug. */
function isPathError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * Checks that `target` may be replaced: it is missing (and its directory exists) or a regular
 * file. `what` names it in errors (`trace "run.jsonl"`, `-o "page.html"`).
 */
export function checkReplaceable(target: string, what: string): void {
  if (target === '') throw new UserError(`${what}: the path is empty`);
  let stats: fs.Stats | undefined;
  try {
    stats = fs.lstatSync(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw cannotWrite(what, e);
  }
  if (stats) {
    if (stats.isFile()) return;
    throw new UserError(`cannot write ${what}: the path is ${fileKindOf(stats)}; ksim replaces only regular files`);
  }
  const dir = path.dirname(target);
  let dirStats: fs.Stats;
  try {
    dirStats = fs.statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`cannot write ${what}: directory "${dir}" does not exist`);
    throw cannotWrite(what, e);
  }
  if (!dirStats.isDirectory()) throw new UserError(`cannot write ${what}: "${dir}" is ${fileKindOf(dirStats)}, not a directory`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `.NAME.<pid>[.<n>].tmp`, the temporary names of `base`; group 1 is the pid. */
function tempNamePattern(base: string): RegExp {
  return new RegExp(`^\\.${escapeRegExp(base)}\\.(\\d+)(?:\\.\\d+)?\\.tmp$`);
}

/** Any ksim temporary name; group 1 is the pid. */
const ANY_TEMP_NAME = /^\..+?\.(\d+)(?:\.\d+)?\.tmp$/;

/** Whether a name in a directory is a temporary file ksim writes (for "is this directory ours?"). */
export function isTempName(name: string): boolean {
  return ANY_TEMP_NAME.test(name);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it is someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files in `dir` whose writer is gone (names matching `pattern`, group 1 the
 * pid), left by a killed run. Those of live processes are left alone: another ksim may be writing.
 */
function removeStaleTemps(dir: string, pattern: RegExp): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no directory yet: nothing to clean
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const file = path.join(dir, name);
    try {
      if (!fs.lstatSync(file).isDirectory()) fs.unlinkSync(file);
    } catch {
      // gone already, or not ours to remove: left as it is
    }
  }
}

/** Removes the stale temporary files of `target` (see removeStaleTemps). */
export function removeStaleTempsOf(target: string): void {
  removeStaleTemps(path.dirname(target), tempNamePattern(path.basename(target)));
}

/** Removes every stale ksim temporary file directly in `dir`. */
export function removeStaleTempsIn(dir: string): void {
  removeStaleTemps(dir, ANY_TEMP_NAME);
}

/** Creates a fresh temporary file beside `target`, exclusively; returns its descriptor and path. */
export function createTempBeside(target: string, what: string): { fd: number; tempPath: string } {
  const dir = path.dirname(target);
  const base = path.basename(target);
  for (let attempt = 0; ; attempt++) {
    const tempPath = path.join(dir, `.${base}.${process.pid}${attempt ? '.' + attempt : ''}.tmp`);
    try {
      return { fd: fs.openSync(tempPath, 'wx'), tempPath };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && attempt < TEMP_ATTEMPTS_MAX) continue;
      throw cannotWrite(what, e);
    }
  }
}

/** Makes a rename durable too; some file systems refuse to fsync a directory, which is fine. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Moves a finished temporary file over `target`, checking again that the target may be replaced. */
export function commitTemp(tempPath: string, target: string, what: string): void {
  try {
    checkReplaceable(target, what);
    fs.renameSync(tempPath, target);
  } catch (e) {
    fs.rmSync(tempPath, { force: true });
    if (e instanceof UserError) throw e;
    if (isPathError(e)) throw cannotWrite(what, e);
    throw e;
  }
  syncDirectory(path.dirname(target));
}

/** Writes every byte through `fd`, turning a full disk and the like into a UserError. */
export function writeAllSync(fd: number, bytes: Uint8Array, what: string): void {
  let off = 0;
  try {
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
  } catch (e) {
    if (isPathError(e)) throw cannotWrite(what, e);
    throw e;
  }
}

/** Writes `content` to `target` atomically (temporary file, fsync, rename). */
export function writeFileAtomic(target: string, content: string | Uint8Array, what = `"${target}"`): void {
  checkReplaceable(target, what);
  removeStaleTempsOf(target);
  const { fd, tempPath } = createTempBeside(target, what);
  try {
    writeAllSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content, what);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tempPath, { force: true });
    if (e instanceof UserError || !isPathError(e)) throw e;
    throw cannotWrite(what, e);
  }
  fs.closeSync(fd);
  commitTemp(tempPath, target, what);
}

/** Copies the regular file `from` to `target` atomically (for traces gathered by `ksim sweep merge`). */
export function copyFileAtomic(from: string, target: string, what = `"${target}"`): void {
  checkReplaceable(target, what);
  removeStaleTempsOf(target);
  const { fd, tempPath } = createTempBeside(target, what);
  fs.closeSync(fd);
  try {
    // COPYFILE_EXCL: the temporary name was just created empty by us; the copy must not follow
    // anything else to it. Remove ours first so the exclusive copy can create it.
    fs.rmSync(tempPath, { force: true });
    fs.copyFileSync(from, tempPath, fs.constants.COPYFILE_EXCL);
  } catch (e) {
    fs.rmSync(tempPath, { force: true });
    if (isPathError(e)) throw cannotWrite(what, e);
    throw e;
  }
  commitTemp(tempPath, target, what);
}

/**
 * Makes sure `dir` is a directory ksim can write in, creating it (and missing parents, one level at
 * a time) if needed. `what` names it in errors (`--out "sweeps/x"`).
 */
export function ensureOutputDir(dir: string, what: string): void {
  if (dir === '') throw new UserError(`${what}: the path is empty`);
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let stats: fs.Stats | undefined;
    try {
      stats = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: an ancestor is a file; the walk up finds it and says so.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError(`cannot use ${what}: ${fsProblem(code, String(e))}`);
    }
    if (stats) {
      if (!stats.isDirectory())
        throw new UserError(`cannot use ${what}: "${at === path.resolve(dir) ? dir : at}" is ${fileKindOf(stats)}, not a directory`);
      break;
    }
    missing.unshift(at);
    if (missing.length > DIR_LEVELS_MAX || path.dirname(at) === at)
      throw new UserError(`cannot use ${what}: more than ${DIR_LEVELS_MAX} missing directory levels`);
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && fs.statSync(level).isDirectory()) continue;
      const where = level === path.resolve(dir) ? '' : `"${level}": `;
      throw new UserError(`cannot create ${what}: ${where}${fsProblem(code, String(e))}`);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw new UserError(`cannot write in ${what}: ${fsProblem((e as NodeJS.ErrnoException).code, String(e))}`);
  }
}

/**
 * Checks, without creating anything, that `dir` is a directory or could be created as one (its
 * nearest existing ancestor is a directory): for flags checked before a long run writes into them.
 */
export function checkOutputDir(dir: string, what: string): void {
  if (dir === '') throw new UserError(`${what}: the path is empty`);
  for (let at = path.resolve(dir), levels = 0; levels <= DIR_LEVELS_MAX; at = path.dirname(at), levels++) {
    let stats: fs.Stats;
    try {
      stats = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(at) !== at) continue;
      throw new UserError(`cannot use ${what}: ${fsProblem(code, String(e))}`);
    }
    if (!stats.isDirectory()) throw new UserError(`cannot use ${what}: "${at}" is ${fileKindOf(stats)}, not a directory`);
    return;
  }
  throw new UserError(`cannot use ${what}: more than ${DIR_LEVELS_MAX} missing directory levels`);
}
