import type { Renderer } from '../types.ts';

/** Placeholder until the osv renderer lands. */
export const renderer: Renderer = { name: 'osv' };
