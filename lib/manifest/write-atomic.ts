import * as fs from 'fs';
import * as path from 'path';

/** Writes `text` to `file` through a temporary file in the same directory and a rename, so readers never see half a file. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(
      temp,
      text,
      typeof text === 'string' ? { encoding: 'utf8', flag: 'wx' } : { flag: 'wx' },
    );
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}
