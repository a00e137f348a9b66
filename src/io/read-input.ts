/**
 * A file named on the command line, read as UTF-8 text, up to `maxBytes`
 * (a file another job made may be any size; what lies past the bound is
 * never read). Only a regular file is opened: a FIFO would wait for a
 * writer. Any failure is a UsageError that names the option and the file.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors/message.ts';

export async function readInputText(file: string, shown: string, option: string, maxBytes: number): Promise<string> {
  let handle;
  try {
    // Non-blocking: opening a FIFO would otherwise wait for a writer before the check below.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`${option} ${shown} is not a regular file: name the file itself`);
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw error;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`${option} ${shown}: cannot read it (${why})`);
  } finally {
    await handle?.close();
  }
}
