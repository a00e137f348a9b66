/**
 * The mail renderer: `mail/<ID>.eml`, the announcement as it goes to the
 * note's first list (or the direct subscribers), unsigned. `herald send`
 * composes the same message for every audience and signs it.
 */
import type { Renderer } from '../types.ts';
import { primaryAudience } from './audience.ts';
import { composeAnnouncement, serializeAnnouncement } from './compose.ts';

/** Registered in `src/render/registry.ts`. */
export const renderer: Renderer = {
  name: 'mail',
  renderNote(advisory, context) {
    const audience = primaryAudience(advisory, context.config);
    const announcement = composeAnnouncement(advisory, context.config, {
      date: context.now,
      preview: context.preview,
      ...(audience ? { audience } : {}),
    });
    return [{ path: `mail/${advisory.id}.eml`, contents: serializeAnnouncement(announcement) }];
  },
};
