#!/usr/bin/env node
// The `niangjia` command. The server runs its TypeScript through tsx (docs/decisions/0001-typescript-on-node-20.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv);
