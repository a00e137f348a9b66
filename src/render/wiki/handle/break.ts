import type { Break } from 'mdast';
import type { Handle } from '../compile.ts';

// A real line break would end the list item, table cell or heading it is in.
export const hardBreak: Handle<Break> = () => '<br />';
