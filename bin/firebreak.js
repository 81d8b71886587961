#!/usr/bin/env node
// The installed command: runs the compiled CLI (dist/, written by `npm run build`, which
// `npm ci` and `npm install` run through `prepare`) with plain node, no TypeScript loader.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/main.js')) throw err;
  console.error('firebreak: the compiled CLI is missing (dist/); run `npm run build` in the firebreak folder');
  process.exit(1);
}
await cli.main();
