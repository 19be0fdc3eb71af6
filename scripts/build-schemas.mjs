// Compiles the bundled schemas (schemas/*.xsd + the documented additions) into
// server/src/service/schema/generated/bundledSchemas.ts, before tsc and esbuild run (`npm run build`).
// The compiler is TypeScript: esbuild bundles precompile.ts into memory and this script runs it.
// Writes the file only when its bytes change. Usage: node scripts/build-schemas.mjs [--check]
//   --check: write nothing; exit 1 when the generated file is missing or stale.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = await esbuild.build({
  entryPoints: [join(root, 'server/src/service/schema/precompile.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  write: false,
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', built.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const precompile = module.exports;

const read = (file) => readFileSync(join(root, file), 'utf8');
const text = precompile.generatedModuleText({
  officialXsd: read(precompile.OFFICIAL_XSD_FILE),
  additions: read(precompile.ADDITIONS_FILE),
  compilerSources: precompile.COMPILER_SOURCE_FILES.map(read),
});
const target = join(root, precompile.GENERATED_MODULE_FILE);
const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${precompile.GENERATED_MODULE_FILE} is ${current === undefined ? 'missing' : 'stale'}: run npm run build`);
    process.exit(1);
  }
} else if (current !== text) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${precompile.GENERATED_MODULE_FILE} (${(text.length / 1024).toFixed(0)} KB)`);
}
