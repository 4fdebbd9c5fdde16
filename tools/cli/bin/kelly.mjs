#!/usr/bin/env node
// The `kelly` command: registers tsx so the TypeScript sources run as they are, then calls main().
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
