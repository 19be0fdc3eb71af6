// Runs the same end-to-end suite as test/e2e/run.sh in a DESKTOP VS Code (downloaded by @vscode/test-electron),
// for contributors who have internet access and a display. Needs devDependencies @vscode/test-cli,
// @vscode/test-electron and mocha. Run: npm run build && npx vscode-test
// (CI cannot download VS Code; it uses code-server instead: bash test/e2e/run.sh.)
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'e2e',
  files: 'test/e2e/suite/extension.test.js',
  workspaceFolder: 'test/fixtures/e2e-ws',   // the suite only makes unsaved edits and reverts them
  version: '1.100.3',                        // the VS Code that code-server 4.100.3 embeds
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  mocha: { ui: 'tdd', timeout: 60000, color: true },
});
