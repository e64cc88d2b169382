import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `file` with `data` so that a reader (or a crash) sees either the old or the new content,
 * never a mix: writes a temp file in the same directory (rename is atomic only within a file system),
 * fsyncs it, renames it over `file`, then fsyncs the directory so the rename itself is durable.
 * The file is created with mode 0600 (it may hold secrets). On failure the temp file is removed.
 * @throws the underlying file-system error.
 */
export async function writeFileAtomically(file: string, data: string): Promise<void> {
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  }
}
