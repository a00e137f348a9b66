import type { ThematicBreak } from 'mdast';
import type { Handle } from '../compile.ts';

export const thematicBreak: Handle<ThematicBreak> = () => '----';
