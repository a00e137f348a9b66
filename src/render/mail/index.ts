/**
 * The mail renderer: `mail/<ID>.eml`, the announcement as it goes to the
 * note's first list (or the direct subscribers), unsigned. `herald send`
 * composes the same message for every audience and signs it.
 */
import { lastUpdated } from '../../model/types.ts';
import type { Renderer } from '../types.ts';
import { primaryAudience } from './audience.ts';
import { composeAnnouncement, serializeAnnouncement } from './compose.ts';

/** Registered in `src/render/registry.ts`. */
export const renderer: Renderer = {
  name: 'mail',
  renderNote(advisory, context) {
    const audience = primaryAudience(advisory, context.config);
    // The file's Date is the day of the revision it announces, so the file
    // depends on the note alone (the build caches it by content); `herald
    // send` dates each message when it goes out. A preview shows the clock.
    const date = context.preview ? context.now : new Date(`${lastUpdated(advisory)}T00:00:00Z`);
    const announcement = composeAnnouncement(advisory, context.config, {
      date,
      preview: context.preview,
      ...(audience ? { audience } : {}),
    });
    return [{ path: `mail/${advisory.id}.eml`, contents: serializeAnnouncement(announcement) }];
  },
};
