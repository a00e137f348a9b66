import type { Renderer } from '../types.ts';

/** Placeholder until the mail renderer lands. */
export const renderer: Renderer = { name: 'mail' };
