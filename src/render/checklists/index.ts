import type { Renderer } from '../types.ts';

/** Placeholder until the checklists renderer lands. */
export const renderer: Renderer = { name: 'checklists' };
