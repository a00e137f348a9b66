import type { Definition } from 'mdast';
import type { Handle } from '../compile.ts';

// Definitions are read up front for references; they print nothing themselves.
export const definition: Handle<Definition> = () => '';
