// Worker-thread entry: registers tsx so the TypeScript sources load, then runs the gradient worker.
import { register } from 'tsx/esm/api';

register();
await import('./gradient-worker.ts');
