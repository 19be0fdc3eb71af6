// End-to-end tests of B2C Policy Tools inside a real VS Code extension host, on test/fixtures/e2e-ws.
// Waits on events (onDidChangeDiagnostics), never on fixed sleeps. Every edit is reverted.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'b2c-policy-tools.b2c-policy-tools';
const SOURCE = 'b2c-policy';
const AMAZON_COMMAND = 'b2cPolicy.insertAmazonClaimsProvider';
// Features still being built elsewhere: flip to true once they land (see the skipped tests' reasons).
const FEATURES = { completion: true, hover: true };

const ws = () => vscode.workspace.workspaceFolders[0].uri;
const file = (name) => vscode.Uri.joinPath(ws(), name);
const BASE = 'TrustFrameworkBase.xml', EXT = 'TrustFrameworkExtensions.xml', RP = 'SignUpOrSignin.xml', OTHER = 'other.xml';

// The findings in TrustFrameworkExtensions.xml, exactly as `node dist/cli.js check test/fixtures/e2e-ws --format json`
// reports them (0-based lines and characters).
const EXPECTED_EXT = [
  { code: 'tenant-name-case', severity: 'Warning', range: [21, 41, 21, 48], text: 'Contoso' },
  { code: 'policy-key-prefix', severity: 'Error', range: [26, 56, 26, 73], text: 'FabrikamAppSecret' },
  { code: 'schema-unexpected-element', severity: 'Error', range: [32, 11, 32, 17], text: 'Colour' },
  { code: 'unresolved-reference', severity: 'Error', range: [42, 61, 42, 77], text: 'FabrikamExchange' },
  { code: 'unresolved-reference', severity: 'Error', range: [52, 71, 52, 96], text: 'AAD-UserReadUsingObjectId' },
];

const ours = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
const codeOf = (d) => (typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code));
const rangeOf = (d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const summary = (diags) => diags
  .map((d) => ({ code: codeOf(d), severity: vscode.DiagnosticSeverity[d.severity], range: rangeOf(d) }))
  .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
const expectedSummary = (list) => list.map(({ code, severity, range }) => ({ code, severity, range }));

/** Resolves with the diagnostics of `uri` once `predicate` holds for them; re-checked on every onDidChangeDiagnostics. */
function waitForDiagnostics(uri, predicate, what, ms = 30000) {
  return new Promise((resolve, reject) => {
    let sub;
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timeout (${ms} ms) waiting for ${what}; now: ${JSON.stringify(summary(ours(uri)))}`));
    }, ms);
    const check = () => {
      const diags = ours(uri);
      if (!predicate(diags)) return false;
      clearTimeout(timer);
      sub.dispose();
      resolve(diags);
      return true;
    };
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}
/** The expected codes, each diagnostic underlining its expected text in the CURRENT text of doc (lines may have moved). */
const fresh = (doc, expected) => (diags) => {
  const got = summary(diags).map((d) => `${d.code}:${d.severity}:${doc.getText(new vscode.Range(d.range[0], d.range[1], d.range[2], d.range[3]))}`);
  return JSON.stringify(got) === JSON.stringify(expected.map((e) => `${e.code}:${e.severity}:${e.text}`));
};
const sameAs = (expected) => (diags) => JSON.stringify(summary(diags)) === JSON.stringify(expectedSummary(expected));

async function open(name) {
  const doc = await vscode.workspace.openTextDocument(file(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
/** Drops unsaved edits of `doc` (revert in its editor). */
async function revert(doc) {
  if (!doc.isDirty) return;
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.ok(!doc.isDirty, `${doc.uri.path} reverted`);
}

suite('B2C Policy Tools in a real VS Code', () => {
  /** Every diagnostics change for other.xml during the suite. */
  const otherEvents = [];
  let listener;
  suiteSetup(() => {
    listener = vscode.languages.onDidChangeDiagnostics((e) => {
      for (const u of e.uris) if (u.path.endsWith('/' + OTHER)) otherEvents.push(vscode.languages.getDiagnostics(u).length);
    });
  });
  suiteTeardown(async () => {
    listener.dispose();
    for (const doc of vscode.workspace.textDocuments) await revert(doc);
  });

  test('environment: VS Code version, extension host', () => {
    console.log(`vscode ${vscode.version}, appHost ${vscode.env.appHost}, node ${process.version}`);
    assert.ok(vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length === 1, 'one workspace folder');
  });

  test('the extension activates when a policy file is opened (onLanguage:xml) and its server publishes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    const doc = await open(EXT);
    assert.strictEqual(doc.languageId, 'xml');
    // Not ext.activate(): the activation event must have done it; the first diagnostics prove the server runs.
    await waitForDiagnostics(doc.uri, (d) => d.length > 0, 'the first diagnostics of the extensions file');
    assert.ok(ext.isActive, 'activated by opening the policy file');
  });

  test('the relying party file has no diagnostics', async () => {
    await open(RP);
    // The extensions file's findings show the server has run on the chain; the RP must stay clean.
    await waitForDiagnostics(file(EXT), (d) => d.length > 0, 'diagnostics of the extensions file (chain checked)');
    assert.deepStrictEqual(summary(ours(file(RP))), []);
  });

  test('opening the Extensions file shows exactly the expected diagnostics (codes, severities, ranges)', async () => {
    const doc = await open(EXT);
    const diags = await waitForDiagnostics(doc.uri, sameAs(EXPECTED_EXT), 'the 5 expected findings');
    for (const e of EXPECTED_EXT) {
      const d = diags.find((x) => codeOf(x) === e.code && x.range.start.line === e.range[0]);
      assert.strictEqual(doc.getText(d.range), e.text, `${e.code} underlines '${e.text}'`);
    }
    // nothing else from any source but ours, either
    assert.deepStrictEqual(summary(vscode.languages.getDiagnostics(doc.uri)), expectedSummary(EXPECTED_EXT));
  });

  test('tenant quick fix (vscode.executeCodeActionProvider + applyEdit) changes exactly that span', async () => {
    const doc = await open(EXT);
    const diags = await waitForDiagnostics(doc.uri, sameAs(EXPECTED_EXT), 'the 5 expected findings');
    const tenant = diags.find((d) => codeOf(d) === 'tenant-name-case');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, tenant.range, vscode.CodeActionKind.QuickFix.value, 10);
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.title === "Lowercase the tenant name: 'contoso'");
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(titles)}`);
    assert.ok(fix.edit, 'the quick fix carries a WorkspaceEdit');
    const before = doc.getText();
    const start = doc.offsetAt(tenant.range.start), end = doc.offsetAt(tenant.range.end);
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'edit applied');
      assert.strictEqual(doc.getText(), before.slice(0, start) + 'contoso' + before.slice(end), 'only the tenant span changed');
      const rest = EXPECTED_EXT.filter((e) => e.code !== 'tenant-name-case');
      await waitForDiagnostics(doc.uri, sameAs(rest), 'the tenant finding to go, the other 4 to stay');
    } finally {
      await revert(doc);
    }
    await waitForDiagnostics(doc.uri, sameAs(EXPECTED_EXT), 'the 5 findings back after revert');
  });

  test('adding the missing technical profile to the base clears the dependent file\'s diagnostic (cross-file refresh)', async () => {
    const ext = await open(EXT);
    await waitForDiagnostics(ext.uri, sameAs(EXPECTED_EXT), 'the 5 expected findings');
    const base = await open(BASE);
    const anchor = '      </TechnicalProfiles>\n    </ClaimsProvider>\n    <ClaimsProvider>\n      <DisplayName>Token Issuer</DisplayName>';
    const at = base.getText().indexOf(anchor);
    assert.ok(at > 0, 'anchor in the base');
    const profile =
      '        <TechnicalProfile Id="AAD-UserReadUsingObjectId">\n' +
      '          <DisplayName>Read the user</DisplayName>\n' +
      '          <Protocol Name="Proprietary" Handler="Web.TPEngine.Providers.AzureActiveDirectoryProvider, Web.TPEngine, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null" />\n' +
      '        </TechnicalProfile>\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(base.uri, base.positionAt(at), profile);
    try {
      assert.ok(await vscode.workspace.applyEdit(edit));
      const rest = EXPECTED_EXT.filter((e) => e.text !== 'AAD-UserReadUsingObjectId');
      await waitForDiagnostics(ext.uri, sameAs(rest), 'the unresolved technical profile finding to go');
      await waitForDiagnostics(base.uri, (d) => d.length === 0, 'the edited base to stay clean');
    } finally {
      await revert(base);
    }
    await waitForDiagnostics(ext.uri, sameAs(EXPECTED_EXT), 'the finding back after reverting the base');
  });

  test('non-policy XML gets no diagnostics', async () => {
    const other = await open(OTHER);
    // Edit it (an element with an uppercase tenant URL, a finding in a policy file), then shift the policy
    // file's lines and wait for its re-checked findings: the server handles notifications in order, so
    // other.xml has been processed by then.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(other.uri, new vscode.Position(4, 0), '    <add key="Issuer" value="https://Fabrikam.b2clogin.com/tfp/" />\n');
    const ext = await open(EXT);
    const probe = new vscode.WorkspaceEdit();
    probe.insert(ext.uri, new vscode.Position(1, 0), '<!-- probe -->\n');
    try {
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(await vscode.workspace.applyEdit(probe));
      await waitForDiagnostics(ext.uri, fresh(ext, EXPECTED_EXT), 'the policy file re-checked after the edits');
      assert.deepStrictEqual(vscode.languages.getDiagnostics(other.uri), [], 'other.xml has no diagnostics');
      assert.ok(otherEvents.every((n) => n === 0), `no diagnostics ever published for other.xml: ${JSON.stringify(otherEvents)}`);
    } finally {
      await revert(ext);
      await revert(other);
    }
    await waitForDiagnostics(ext.uri, sameAs(EXPECTED_EXT), 'the 5 findings back after revert');
  });

  (FEATURES.completion ? test : test.skip)('completion after TechnicalProfileReferenceId=" lists the chain\'s technical profiles', async () => {
    const doc = await open(EXT);
    const line = EXPECTED_EXT[4].range[0];
    const col = doc.lineAt(line).text.indexOf('TechnicalProfileReferenceId="') + 'TechnicalProfileReferenceId="'.length;
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, col));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const id of ['SelfAsserted-Email', 'JwtIssuer', 'Fabrikam-OpenIdConnect']) {
      assert.ok(labels.includes(id), `${id} offered; got ${JSON.stringify(labels.slice(0, 30))}`);
    }
  });

  (FEATURES.hover ? test : test.skip)('hover on a technical profile reference names its defining file', async () => {
    const doc = await open(EXT);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('TechnicalProfileReferenceId="Fabrikam-OpenIdConnect"'));
    const col = doc.lineAt(line).text.indexOf('Fabrikam-OpenIdConnect') + 3;
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Fabrikam-OpenIdConnect/);
    assert.match(text, /TrustFrameworkExtensions\.xml/);
  });

  test('an Amazon claims provider inserted with SnippetString is schema-valid', async function () {
    const snippetsUri = vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID).extensionUri, 'snippets', 'b2c-policy.code-snippets');
    let snippets;
    try {
      snippets = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(snippetsUri)).toString('utf8'));
    } catch {
      this.skip(); // snippets not shipped yet
    }
    const amazon = Object.values(snippets).find((s) => s.prefix === 'b2c-amazon');
    if (!amazon) this.skip();
    const doc = await open(EXT);
    const editor = vscode.window.activeTextEditor;
    const at = doc.positionAt(doc.getText().indexOf('  </ClaimsProviders>'));
    try {
      assert.ok(await editor.insertSnippet(new vscode.SnippetString(amazon.body.join('\n') + '\n'), at));
      assert.ok(doc.getText().includes('<TechnicalProfile Id="Amazon-OAuth2">'));
      // The five findings stay (their lines move); no schema finding inside the inserted text.
      // Wait until the server has re-checked (the journey finding moved down by the snippet's lines), then: the
      // only schema finding is still <Colour>, none inside the inserted text.
      const inserted = [at.line, at.line + amazon.body.length];
      const moved = EXPECTED_EXT[3].range[0] + amazon.body.length;
      const diags = await waitForDiagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'unresolved-reference' && x.range.start.line === moved), 'the snippet to be checked');
      const schema = diags.filter((x) => codeOf(x).startsWith('schema-') || codeOf(x) === 'xml-syntax');
      assert.deepStrictEqual(summary(schema), expectedSummary([EXPECTED_EXT[2]]), 'no new schema finding');
      assert.ok(!schema.some((x) => x.range.start.line >= inserted[0] && x.range.start.line < inserted[1]));
    } finally {
      await revert(doc);
    }
    await waitForDiagnostics(doc.uri, sameAs(EXPECTED_EXT), 'the 5 findings back after revert');
  });

  test('"Insert Amazon claims provider" run with arguments edits the files and adds no diagnostic', async function () {
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes(AMAZON_COMMAND)) {
      console.log(`  (skipped: command not wired yet: ${AMAZON_COMMAND})`);
      this.skip();
    }
    const ext = await open(EXT);
    await waitForDiagnostics(ext.uri, sameAs(EXPECTED_EXT), 'the 5 expected findings');
    const rp = await vscode.workspace.openTextDocument(file(RP));
    const base = await vscode.workspace.openTextDocument(file(BASE));
    const baseText = base.getText();
    try {
      const result = await vscode.commands.executeCommand(AMAZON_COMMAND, {
        uri: ext.uri.toString(), clientId: 'amzn1.application-oa2-client.0123456789abcdef', policyKey: 'B2C_1A_AmazonSecret',
        newJourney: 'AmazonSignUpSignIn', relyingParties: 'all',
      });
      assert.ok(result && !result.error, `command result: ${JSON.stringify(result && result.error)}`);
      const text = ext.getText();
      assert.match(text, /<TechnicalProfile Id="Amazon-OAuth2">/);
      assert.match(text, /<Item Key="client_id">amzn1\.application-oa2-client\.0123456789abcdef<\/Item>/);
      assert.match(text, /StorageReferenceId="B2C_1A_AmazonSecret"/);
      assert.match(text, /<UserJourney Id="AmazonSignUpSignIn">/);
      assert.match(text, /TargetClaimsExchangeId="AmazonExchange"/);
      assert.match(text, /<ClaimsExchange Id="AmazonExchange" TechnicalProfileReferenceId="Amazon-OAuth2"/);
      assert.doesNotMatch(text, /client_secret<\/Item>|secret">[^<]/i, 'no secret written');
      assert.match(rp.getText(), /<DefaultUserJourney ReferenceId="AmazonSignUpSignIn"/, 'relying party points at the journey');
      assert.strictEqual(base.getText(), baseText, 'the base is untouched');
      // no new diagnostic: the same five findings (re-checked: each still underlines its text), RP and base clean
      await waitForDiagnostics(ext.uri, fresh(ext, EXPECTED_EXT), 'the 5 findings, and no other, after the insert');
      await waitForDiagnostics(rp.uri, (d) => d.length === 0, 'the relying party to stay clean');
      assert.deepStrictEqual(summary(ours(base.uri)), []);
    } finally {
      await revert(rp);
      await revert(ext);
    }
    await waitForDiagnostics(ext.uri, sameAs(EXPECTED_EXT), 'the 5 findings back after revert');
  });
});

// ---- The journey view (issue 13) on a copy of the starter pack's SocialAndLocalAccounts ---------------------
// The pack is copied into the run's workspace when ../shared is there (B2C_SHARED overrides where); the view's
// page reports what it draws, read from its DOM, through the view's `describe` message (DESCRIBE below).
suite('Journey view', () => {
  const fs = require('fs');
  const path = require('path');
  const SHOW = 'b2cPolicy.showJourney', DESCRIBE = 'b2cPolicy.journeyView.describe';
  const PACK = path.join(process.env.B2C_SHARED || path.resolve(__dirname, '../../../../shared'), 'corpus', 'starterpack', 'SocialAndLocalAccounts');
  const DIR = 'starter-SocialAndLocalAccounts';
  const STEPS = ['Step 1 CombinedSignInAndSignUp', 'Step 2 ClaimsExchange', 'Step 3 ClaimsExchange', 'Step 4 ClaimsExchange', 'Step 5 ClaimsExchange', 'Step 6 ClaimsExchange', 'Step 7 SendClaims'];
  const packFile = (name) => file(`${DIR}/${name}`);
  // The journey's own steps in Order (frames are drawn before leaf boxes, so the DOM order is not the Order).
  const steps = (s) => s.nodes.filter((n) => n.kind === 'step' && /^step:\d+$/.test(n.id)).sort((a, b) => Number(a.id.slice(5)) - Number(b.id.slice(5)));

  /** The picture once `predicate` holds: now, or after the next drawings (each one is awaited, no fixed sleep). */
  async function pictureWhere(predicate, what, after) {
    let summary = await vscode.commands.executeCommand(DESCRIBE, after === undefined ? {} : { after });
    const deadline = Date.now() + 30000;
    while (summary && !predicate(summary) && Date.now() < deadline) summary = await vscode.commands.executeCommand(DESCRIBE, { after: summary.revision, timeoutMs: deadline - Date.now() });
    assert.ok(summary && predicate(summary), `${what}; the picture: ${JSON.stringify(summary && { revision: summary.revision, status: summary.status, nodes: summary.nodes.map((n) => `${n.id} ${n.classes.join('.')}`) })}`);
    return summary;
  }

  suiteSetup(async function () {
    if (!fs.existsSync(PACK)) {
      console.log(`  (skipped: the starter pack is not at ${PACK})`);
      this.skip();
    }
    await vscode.workspace.fs.createDirectory(file(DIR));
    for (const name of fs.readdirSync(PACK)) await vscode.workspace.fs.copy(vscode.Uri.file(path.join(PACK, name)), packFile(name), { overwrite: true });
  });
  suiteTeardown(async () => {
    for (const doc of vscode.workspace.textDocuments) await revert(doc);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(file(DIR), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  test('"B2C: Show journey" on the relying party opens the view beside it: one step node per effective step, the Facebook branch, each exchange with its profile', async () => {
    const rp = await vscode.workspace.openTextDocument(packFile('SignUpOrSignin.xml'));
    await vscode.window.showTextDocument(rp, { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand(SHOW);
    // The bases reach the server through file events: the picture completes as they do.
    const picture = await pictureWhere((s) => steps(s).length === 7 && s.nodes.some((n) => n.id === 'step:7/issuer'), 'the 7 steps of SignUpOrSignIn and the issuer');
    assert.equal(picture.journeyId, 'SignUpOrSignIn');
    assert.deepEqual(steps(picture).map((n) => n.text[0]), STEPS);
    assert.deepEqual(steps(picture).map((n) => n.text[1]), Array(7).fill('TrustFrameworkBase.xml'), 'each step from the base');
    assert.deepEqual(picture.edges.filter((e) => e.kind === 'selection').map((e) => [e.from, e.to, e.label]), [['step:1', 'step:2/exchange:FacebookExchange', 'Facebook']], 'the Facebook branch');
    const exchange = picture.nodes.find((n) => n.id === 'step:2/exchange:FacebookExchange');
    assert.deepEqual(exchange.text.slice(0, 3), ['FacebookExchange', 'Facebook-OAUTH', 'oauth2 · OAuth2']);
    assert.deepEqual(picture.edges.filter((e) => e.kind === 'sequence' && e.to === 'step:2').map((e) => e.label), ['skipped if objectId exists']);
    assert.deepEqual(picture.nodes.filter((n) => n.classes.includes('error') || n.classes.includes('warning')).map((n) => n.id), [], 'the starter pack is clean');
    const tabs = vscode.window.tabGroups.all.map((g) => g.tabs.map((t) => t.label));
    const viewGroup = tabs.findIndex((labels) => labels.includes('Journey SignUpOrSignIn'));
    assert.ok(viewGroup >= 0 && !tabs[viewGroup].includes('SignUpOrSignin.xml'), `the view is beside the editor: ${JSON.stringify(tabs)}`);
  });

  test('an edit that breaks a reference outlines its node red with the message; the picture follows edits and their revert', async () => {
    const base = await vscode.workspace.openTextDocument(packFile('TrustFrameworkBase.xml'));
    const before = await pictureWhere((s) => steps(s).length === 7, 'the picture of the first test');
    const reference = 'TechnicalProfileReferenceId="AAD-UserReadUsingAlternativeSecurityId-NoError"';
    const at = base.getText().indexOf(reference);
    assert.ok(at > 0, 'step 3 exchange in the base');
    const typo = new vscode.WorkspaceEdit();
    typo.replace(base.uri, new vscode.Range(base.positionAt(at), base.positionAt(at + reference.length)), 'TechnicalProfileReferenceId="AAD-UserReadUsingAlternativeSecurityId-Typo"');
    const precondition = base.getText().indexOf('<Value>objectId</Value>', base.getText().indexOf('<OrchestrationStep Order="2" Type="ClaimsExchange">', base.getText().indexOf('<UserJourney Id="SignUpOrSignIn">')));
    try {
      assert.ok(await vscode.workspace.applyEdit(typo));
      const red = await pictureWhere((s) => (s.nodes.find((n) => n.id === 'step:3/exchange:AADUserReadUsingAlternativeSecurityId') || { classes: [] }).classes.includes('error'), 'the exchange with the broken reference in red', before.revision);
      const node = red.nodes.find((n) => n.id === 'step:3/exchange:AADUserReadUsingAlternativeSecurityId');
      assert.deepEqual(node.text.slice(0, 3), ['AADUserReadUsingAlternativeSecurityId', 'AAD-UserReadUsingAlternativeSecurityId-Typo', 'technical profile not found']);
      assert.match(node.tooltip, /error: No TechnicalProfile with Id 'AAD-UserReadUsingAlternativeSecurityId-Typo'/);
      assert.deepEqual(red.nodes.filter((n) => n.classes.includes('error')).map((n) => n.id), [node.id], 'only that node is red');
      // Another edit: step 2's precondition now tests email; its edge label follows.
      const edit = new vscode.WorkspaceEdit();
      const value = base.positionAt(precondition + '<Value>'.length);
      edit.replace(base.uri, new vscode.Range(value, value.translate(0, 'objectId'.length)), 'email');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await pictureWhere((s) => s.edges.some((e) => e.kind === 'sequence' && e.to === 'step:2' && e.label === 'skipped if email exists'), 'the edge into step 2 labelled with the new precondition', red.revision);
    } finally {
      await revert(base);
    }
    const back = await pictureWhere((s) => !s.nodes.some((n) => n.classes.includes('error')) && s.edges.some((e) => e.to === 'step:2' && e.label === 'skipped if objectId exists'), 'the clean picture after the revert');
    assert.equal(steps(back).length, 7);
  });

  test('run from the base with the cursor in a UserJourney, the view turns to that journey', async () => {
    const base = await vscode.workspace.openTextDocument(packFile('TrustFrameworkBase.xml'));
    const editor = await vscode.window.showTextDocument(base, { preview: false, viewColumn: vscode.ViewColumn.One });
    const at = base.positionAt(base.getText().indexOf('<UserJourney Id="ProfileEdit">') + 5);
    editor.selection = new vscode.Selection(at, at);
    const previous = await vscode.commands.executeCommand(DESCRIBE);
    await vscode.commands.executeCommand(SHOW);
    const picture = await pictureWhere((s) => s.journeyId === 'ProfileEdit', 'the ProfileEdit journey', previous && previous.revision);
    assert.deepEqual(steps(picture).map((n) => n.text[0]), ['Step 1 ClaimsProviderSelection', 'Step 2 ClaimsExchange', 'Step 3 ClaimsExchange', 'Step 4 ClaimsExchange', 'Step 5 ClaimsExchange', 'Step 6 SendClaims']);
  });
});
