// Worker-thread bootstrap: registers tsx's TypeScript loader in this thread, then loads the TS worker.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
