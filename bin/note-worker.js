// Worker thread entry: workers do not inherit the main thread's loader hooks,
// so each registers tsx itself before loading the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('../src/build/note-worker.ts');
