import type { Renderer } from '../types.ts';

/** Placeholder until the site renderer lands. */
export const renderer: Renderer = { name: 'site' };
