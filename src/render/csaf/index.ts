import type { Renderer } from '../types.ts';

/** Placeholder until the csaf renderer lands. */
export const renderer: Renderer = { name: 'csaf' };
