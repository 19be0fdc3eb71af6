// Bundles the client, the server and the CLI into one CommonJS file each (dist/), for the extension and `bin`,
// and the journey view's page script. --production: minified, without source maps (what the .vsix ships).
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's "main" is a UMD build whose factory requires its own modules at run time, out of esbuild's
  // sight; its ES module build bundles cleanly (Node itself, in the tests, loads the UMD build fine).
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The journey view's page script: runs in the webview (a browser), loaded from dist/ under the page's CSP.
  esbuild.build({ ...common, platform: 'browser', format: 'iife', target: 'es2020', entryPoints: ['client/src/journeyView/webview/main.ts'], outfile: 'dist/journeyView.js' }),
]);
chmodSync('dist/cli.js', 0o755);
// Source maps of an earlier development build would describe other code.
if (production) for (const f of readdirSync('dist')) if (f.endsWith('.map')) rmSync(`dist/${f}`);
