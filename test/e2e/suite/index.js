// Test entry loaded by VS Code's extension host (extensionTestsPath), in code-server (test/e2e/run.sh) or in a
// desktop VS Code (.vscode-test.mjs). mocha comes from the project's devDependencies when present, else from
// the tool cache that test/e2e/run.sh fills (.vscode-test/tools).
const path = require('path');

function loadMocha() {
  try { return require('mocha'); } catch { /* not a devDependency */ }
  return require(path.resolve(__dirname, '../../../.vscode-test/tools/node_modules/mocha'));
}

exports.run = function run() {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  mocha.addFile(path.resolve(__dirname, 'extension.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} tests failed.`)) : resolve()));
  });
};
