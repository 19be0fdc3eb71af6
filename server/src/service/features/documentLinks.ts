/** Document links: BasePolicy/PolicyId opens the base policy file it resolves to. */
import type { DocumentLink } from 'vscode-languageserver-types';
import type { Analysis } from '../analysis/analysis';
import { baseName } from '../policy/workspace';

export function getDocumentLinks(analysis: Analysis, uri: string): DocumentLink[] {
  const file = analysis.policy(uri);
  if (!file?.base?.policyId) return [];
  const base = analysis.index.resolveBase(file);
  if (base.status !== 'found') return [];
  return [{ range: file.lines.rangeOf(file.base.span), target: base.file.uri, tooltip: `Open the base policy ${baseName(base.file.uri)}` }];
}
