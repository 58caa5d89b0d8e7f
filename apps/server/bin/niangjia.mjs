#!/usr/bin/env node
// The `niangjia` command. The server runs its TypeScript through tsx (docs/decisions/0002-typescript-without-a-build-step.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv);
