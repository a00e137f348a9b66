// Thread entry of `herald serve`'s server (src/serve/server-thread.ts).
// Like bin/note-worker.js, it chooses between the compiled code and the
// sources through tsx (see compiled.js).
import { importEntry } from './compiled.js';

await importEntry('serve-worker.js', 'src/serve/server-worker.ts');
