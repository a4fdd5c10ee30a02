// Writes a file so that its path only ever holds a complete version: the text goes to a temporary
// file beside it, is fsynced, then renamed over the target (rename is atomic within a directory).
// A sweep killed mid-write leaves at most a stray temporary file, never a half cell.

import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(target: string, text: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, target);
}

/** Copies a file atomically (for traces gathered by `ksim sweep merge`). */
export function copyFileAtomic(from: string, target: string): void {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, target);
}
