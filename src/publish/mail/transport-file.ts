/**
 * The `file` transport, the default: every message becomes
 * `<outbox>/<ID>.r<revision>/<recipient>.eml`, written atomically. Needs
 * nothing running; handy to review a run before pointing it at a server.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders } from '../../io/write-file.ts';
import type { PreparedMessage } from './prepare.ts';
import { DeliveryError, type Session, type Transport } from './transport.ts';

/** A file name for an address: anything but letters, digits and `@._+-` becomes `_`. */
export function fileNameFor(recipient: string): string {
  return `${recipient.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_')}.eml`;
}

/** `OSSN-0007.r2` (or `.r2.withdrawn`): the outbox folder of an edition. */
export function editionFolder(message: PreparedMessage): string {
  const { id, revision, withdrawn } = message.edition;
  return `${id}.r${revision}${withdrawn ? '.withdrawn' : ''}`;
}

/** The file transport writing under `outbox` (shown to people as `shownAs`). */
export function fileTransport(outbox: string, shownAs: string): Transport {
  return {
    name: 'file',
    target: shownAs,
    parallel: 1,
    openSession(): Session {
      return {
        async deliver(message, _envelopeFrom, recipient) {
          const folder = path.join(outbox, editionFolder(message));
          const target = path.join(folder, fileNameFor(recipient));
          try {
            // Not Node's recursive mkdir: under /proc it never returns.
            makeFolders(folder);
            const temporary = `${target}.${process.pid}.tmp`;
            await writeFile(temporary, message.bytes);
            await rename(temporary, target);
          } catch (error) {
            throw new DeliveryError('fatal', `cannot write to the outbox: ${(error as Error).message}`);
          }
          return `written ${path.join(shownAs, editionFolder(message), fileNameFor(recipient))}`;
        },
        async close() {},
      };
    },
  };
}
