// Runs the whole suite: unit, LSP, CLI, conformance and fuzz tests (node:test over every compiled *.test.js in
// test/out/test: test/unit, test/lsp, test/cli, test/conformance, test/fuzz), then, unless B2C_SKIP_E2E is set,
// the end-to-end tests in a real VS Code. (`npm test` runs ESLint first; long fuzz runs: `npm run fuzz`.)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = testFiles('test/out/test').filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
const unit = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
let rc = unit.status ?? 1;
if (only.length === 0 && !process.env.B2C_SKIP_E2E && existsSync('test/e2e/run.sh')) {
  const e2e = spawnSync('bash', ['test/e2e/run.sh'], { stdio: 'inherit' });
  if (e2e.status !== 0) rc = rc || e2e.status || 1;
}
process.exit(rc);
