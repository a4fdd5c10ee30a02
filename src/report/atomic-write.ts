// Writes an output file (an HTML page, an SVG chart) atomically: to a temporary file beside the
// target, then renamed into place, so a reader never sees half a page and a failed render leaves
// the previous file untouched. Problems a user can fix (missing directory, no permission, the
// target is a directory) are UserErrors naming the path.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../scenario/user-error.ts';

export function writeFileAtomic(targetPath: string, content: string): void {
  const dir = path.dirname(targetPath);
  if (fs.existsSync(targetPath) && fs.statSync(targetPath).isDirectory())
    throw new UserError(`cannot write "${targetPath}": it is a directory`);
  if (!fs.existsSync(dir)) throw new UserError(`cannot write "${targetPath}": directory "${dir}" does not exist`);
  // The pid keeps two concurrent writers of the same target apart.
  const tempPath = path.join(dir, `.${path.basename(targetPath)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tempPath, content);
    fs.renameSync(tempPath, targetPath);
  } catch (e) {
    fs.rmSync(tempPath, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new UserError(`cannot write "${targetPath}": no permission`);
    throw e;
  }
}
