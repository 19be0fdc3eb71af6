/**
 * Development-only settings in the policies of a `Production: true` environment: the build refuses them
 * (an error naming file and line), or with the strip option removes them with minimal edits.
 *
 * What counts, and why (reference documentation, troubleshoot-with-application-insights.md):
 * - `DeploymentMode` other than `Production` on TrustFrameworkPolicy: "Do not set the DeploymentMode to
 *   Development in production environments. Logs collect all claims sent to and from identity providers."
 *   (trustframeworkpolicy.md lists Production and Development; the framework schema also has Debugging.)
 * - `JourneyInsights` with `DeveloperMode="true"` (RelyingParty/UserJourneyBehaviors): "DeveloperMode="true"
 *   tells ApplicationInsights to expedite the telemetry through the processing pipeline. Good for development".
 * Not counted: `UserJourneyRecorderEndpoint`, and `JourneyInsights` with DeveloperMode false. The same page's
 * "Configure Application Insights in Production" section keeps `UserJourneyRecorderEndpoint=
 * "urn:journeyrecorder:applicationinsights"` with `DeploymentMode="Production"` and a JourneyInsights with
 * `DeveloperMode="false"`, so refusing them would refuse Microsoft's documented production configuration.
 * Microsoft's extension's pull request #99 strips all three unconditionally; we strip what is development-only.
 */
import type { PolicyFile } from '../policy/model';
import type { Span, XmlElement } from '../xml/nodes';
import { attributeValue, childElements, firstChild, getAttribute } from '../xml/query';
import type { SourceEdit } from './positionMap';

export interface DevelopmentSetting {
  kind: 'deploymentMode' | 'journeyInsights';
  /** What to point at (offsets of the file's text). */
  span: Span;
  /** The edit that strips it: the attribute with the blank before it, or the element with its line. */
  removal: SourceEdit;
  /** One sentence naming the setting. */
  description: string;
}

export function findDevelopmentSettings(file: PolicyFile): DevelopmentSetting[] {
  const root = file.xml.root;
  if (!file.isPolicy || !root) return [];
  const text = file.text;
  const found: DevelopmentSetting[] = [];
  const mode = getAttribute(root, 'DeploymentMode');
  if (mode && mode.value !== undefined && mode.value.trim() !== 'Production') {
    let start = mode.span.start;
    while (start > 0 && /[ \t\r\n]/.test(text[start - 1])) start--;
    found.push({
      kind: 'deploymentMode',
      span: mode.span,
      removal: { start, end: mode.span.end, newText: '' },
      description: `DeploymentMode="${mode.value}" (development mode logs every claim)`,
    });
  }
  for (const relyingParty of childElements(root, 'RelyingParty')) {
    const behaviors = firstChild(relyingParty, 'UserJourneyBehaviors');
    if (!behaviors) continue;
    for (const insights of childElements(behaviors, 'JourneyInsights')) {
      const developerMode = attributeValue(insights, 'DeveloperMode')?.trim();
      if (developerMode !== 'true' && developerMode !== '1') continue;
      found.push({
        kind: 'journeyInsights',
        span: getAttribute(insights, 'DeveloperMode')?.span ?? insights.nameSpan,
        removal: elementRemoval(text, insights),
        description: 'JourneyInsights with DeveloperMode="true" (development telemetry)',
      });
    }
  }
  return found;
}

/** Removes an element; when it stands alone on its lines, the whole lines go (indentation and line break). */
function elementRemoval(text: string, element: XmlElement): SourceEdit {
  let start = element.start;
  let end = element.end;
  let lineStart = start;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  const aloneBefore = lineStart === 0 || text[lineStart - 1] === '\n' || text[lineStart - 1] === '\r';
  const aloneAfter = lineEnd === text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r';
  if (aloneBefore && aloneAfter) {
    start = lineStart;
    end = lineEnd;
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (text[end] === '\n' || text[end] === '\r') end += 1;
  }
  return { start, end, newText: '' };
}
