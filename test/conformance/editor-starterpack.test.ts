// Completion and hover on Microsoft's starter pack (read from ../shared; skipped visibly without it).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import type { CompletionItem, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { Analysis } from '../../server/src/service/analysis/analysis';
import { getCompletions } from '../../server/src/service/features/completion';
import { getHover } from '../../server/src/service/features/hover';
import { LineIndex } from '../../server/src/service/xml';
import { SchemaCache } from '../../server/src/schemaFile';
import { CORPUS_DIR, needsCorpus, readText } from '../helpers/corpus';

const schema = new SchemaCache().load();

function apply(text: string, edit: TextEdit | undefined): string {
  assert.ok(edit, 'item has a textEdit');
  const lines = new LineIndex(text);
  return text.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + text.slice(lines.offsetAt(edit.range.end));
}

function item(items: CompletionItem[], label: string): CompletionItem {
  const found = items.find((i) => i.label === label);
  assert.ok(found, `no item '${label}' in ${items.map((i) => i.label).join(', ')}`);
  return found;
}

const editOf = (i: CompletionItem) => i.textEdit as TextEdit;
const value = (h: Hover | undefined) => (h?.contents as MarkupContent).value;

test('starter pack TrustFrameworkBase.xml: claim types and elements', { skip: needsCorpus }, () => {
  const dir = path.join(CORPUS_DIR, 'SocialAndLocalAccounts');
  const base = readText(path.join(dir, 'TrustFrameworkBase.xml'));
  const service = new Analysis({ schema });
  const uri = 'file:///pack/TrustFrameworkBase.xml';
  const anchor = '<OutputClaim ClaimTypeReferenceId="';
  const at = base.indexOf(anchor) + anchor.length;
  const closing = base.indexOf('"', at);
  // Empty the first ClaimTypeReferenceId value and complete it.
  const text = base.slice(0, at) + base.slice(closing);
  service.index.setOpenDocument(uri, text);
  const items = getCompletions(service, schema, uri, at);
  const labels = items.map((i) => i.label);
  for (const id of ['email', 'objectId', 'displayName', 'givenName']) assert.ok(labels.includes(id), `${id} offered`);
  assert.equal(item(items, 'email').detail, 'ClaimType (TrustFrameworkBase.xml)');
  assert.equal(apply(text, editOf(item(items, base.slice(at, closing)))), base);

  // Elements allowed after the ClaimsSchema of BuildingBlocks.
  const end = base.indexOf('</ClaimsSchema>') + '</ClaimsSchema>'.length;
  service.index.setOpenDocument(uri, base);
  const elements = getCompletions(service, schema, uri, end).map((i) => i.label);
  assert.ok(elements.includes('ContentDefinitions') && !elements.includes('ClaimsSchema'), elements.join(','));
});

test('starter pack TrustFrameworkBase.xml: hover on a technical profile reference', { skip: needsCorpus }, () => {
  const base = readText(path.join(CORPUS_DIR, 'SocialAndLocalAccounts', 'TrustFrameworkBase.xml'));
  const s = new Analysis({ schema });
  const uri = 'file:///pack/TrustFrameworkBase.xml';
  s.index.setOpenDocument(uri, base);
  const anchor = 'IncludeTechnicalProfile ReferenceId="AAD-Common"';
  const at = base.indexOf(anchor) + anchor.length - 3;
  const h = getHover(s, schema, uri, at);
  const line = base.slice(0, base.indexOf('<TechnicalProfile Id="AAD-Common"')).split('\n').length;
  assert.match(value(h), new RegExp(`^\\*\\*TechnicalProfile\\*\\* \`AAD-Common\`\\n\\nDefined in \\[\`TrustFrameworkBase.xml\` line ${line}\\]\\(file:///pack/TrustFrameworkBase\\.xml#L${line}\\)\\n\\nDisplayName: Azure Active Directory · Protocol: Proprietary`));
});
