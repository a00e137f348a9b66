import type { Renderer } from '../types.ts';

/** Placeholder until the wiki renderer lands. */
export const renderer: Renderer = { name: 'wiki' };
