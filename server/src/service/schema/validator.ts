/**
 * Validates a parsed policy (our tolerant tree) against a compiled schema. Never throws; reports every error
 * (not only the first in a parent), each on an exact span:
 * - unexpected element: its name; missing element / missing attribute: the parent's (element's) name;
 * - unknown attribute: the attribute's name; invalid value: the attribute's value or the element's text;
 * - duplicate key: the duplicate attribute's value; text not allowed: the text (trimmed).
 * Unfinished parts (an open start tag, an unclosed element, an attribute value without its closing quote)
 * are skipped where they cannot be judged yet.
 */
import type { AutomatonState, ContentAutomaton } from './automaton';
import type { CompiledSchema } from './compiledSchema';
import type { AttributeDecl, ComplexTypeDef, ElementDecl, KeyDecl, SimpleTypeDef } from './model';
import { canonicalValue, checkSimpleValue } from './simpleTypes';
import type { Finding } from '../findings';
import { DEFAULT_CLIENT_SETTINGS, type DiagnosticCode } from '../../protocol';
import type { Span, XmlAttribute, XmlDocument, XmlElement } from '../xml/nodes';

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** The template tokens of the `b2cPolicy.templateTokens` setting's default. */
export const DEFAULT_TEMPLATE_TOKENS: readonly RegExp[] = DEFAULT_CLIENT_SETTINGS.templateTokens.map((pattern) => new RegExp(pattern));

/** B2C claim resolvers (`{Culture:LanguageName}`, `{OIDC:ClientId}`, `{Claim:email}`, ...). */
export const CLAIM_RESOLVER = /\{[A-Za-z][A-Za-z0-9_-]*:[^{}]+\}/;

export interface ValidateOptions {
  /** Values containing a match of one of these are not checked (patterns, enumerations, types, lengths). */
  templateTokens?: readonly RegExp[];
  /**
   * Also leave values containing a B2C claim resolver unchecked (the service resolves them at run time).
   * Default true. Standard XSD engines do check them, so set false to mirror libxml2 exactly.
   */
  claimResolvers?: boolean;
  /** For tests: rethrow an internal error instead of returning the findings gathered so far. */
  throwInternalErrors?: boolean;
}

/** Expected-name lists in messages are cut after this many names (data payloads carry them all). */
const MAX_LISTED = 12;
const MAX_DEPTH = 256;

export function validateDocument(schema: CompiledSchema, doc: XmlDocument, options: ValidateOptions = {}): Finding[] {
  const findings: Finding[] = [];
  try {
    new Validator(schema, doc, options, findings).run();
  } catch (error) {
    // Never throw to the caller: report what was found so far.
    if (options.throwInternalErrors) throw error;
  }
  return findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

type Scope = Map<string, string> | undefined;

interface Matched {
  before: AutomatonState;
  name: string;
  element: XmlElement;
}

class Validator {
  private readonly tokens: RegExp[];
  /** Declarations of validated elements (identity constraints read the types of selected elements). */
  private readonly declOf = new Map<XmlElement, ElementDecl>();
  /** `offset:attribute` of missing required attributes already reported. */
  private readonly reportedMissing = new Set<string>();

  constructor(
    private readonly schema: CompiledSchema,
    private readonly doc: XmlDocument,
    options: ValidateOptions,
    private readonly findings: Finding[],
  ) {
    const tokens = [...(options.templateTokens ?? DEFAULT_TEMPLATE_TOKENS)];
    if (options.claimResolvers !== false) tokens.push(CLAIM_RESOLVER);
    this.tokens = tokens.map((t) => (t.global || t.sticky ? new RegExp(t.source, t.flags.replace(/[gy]/g, '')) : t));
  }

  run(): void {
    const root = this.doc.root;
    if (!root) return;
    const scope = this.scopeOf(root, undefined);
    const decl = this.schema.rootDecl(root.localName);
    const roots = [...this.schema.globalElements.keys()];
    if (!decl) {
      this.report('schema-unexpected-element', root.nameSpan, `<${root.name}> is not a root element of this schema: expected ${list(roots.map((r) => `<${r}>`))}.`, {
        expected: roots,
      });
      return;
    }
    const namespace = this.namespaceOf(root, scope);
    if (namespace !== (decl.namespace ?? '')) {
      this.report(
        'schema-unexpected-element',
        root.nameSpan,
        `<${root.localName}> must be in the namespace ${decl.namespace ?? '(none)'}${namespace ? `, not ${namespace}` : ''}: add xmlns="${decl.namespace ?? ''}".`,
        { expectedNamespace: decl.namespace, namespace },
      );
    }
    this.element(root, decl, scope, 0);
  }

  // ---- findings -----------------------------------------------------------------------------------------

  private report(code: DiagnosticCode, span: Span, message: string, data?: Record<string, unknown>): void {
    this.findings.push({ code, severity: 'error', message, span: { start: span.start, end: span.end }, data });
  }

  // ---- namespaces ---------------------------------------------------------------------------------------

  private scopeOf(element: XmlElement, parent: Scope): Scope {
    let scope = parent;
    for (const a of element.attributes) {
      if (a.name.charCodeAt(0) === 0x78 /* x */ && (a.name === 'xmlns' || a.name.startsWith('xmlns:'))) {
        if (scope === parent) scope = new Map(parent ?? []);
        scope!.set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value ?? '');
      }
    }
    return scope;
  }

  private namespaceOf(element: XmlElement, scope: Scope): string {
    const colon = element.name.indexOf(':');
    return scope?.get(colon < 0 ? '' : element.name.slice(0, colon)) ?? '';
  }

  private isTemplated(value: string): boolean {
    for (const t of this.tokens) if (t.test(value)) return true;
    return false;
  }

  // ---- elements -----------------------------------------------------------------------------------------

  private element(element: XmlElement, decl: ElementDecl, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) return;
    this.declOf.set(element, decl);
    const type = decl.type;
    this.attributes(element, type, scope);
    const complete = element.startTagClosed && (element.selfClosing || element.endTag !== undefined);
    switch (type.kind) {
      case 'simple':
      case 'empty':
        this.noChildElements(element, type);
        if (type.kind === 'simple') {
          if (complete) this.value(element, decl, type.simpleType!);
        } else this.noText(element, 'it takes no content');
        break;
      case 'elementOnly':
      case 'mixed':
        this.children(element, type, scope, depth, complete);
        if (type.kind === 'elementOnly') this.noText(element, 'it contains only elements');
        break;
    }
    if (decl.keys.length) for (const key of decl.keys) this.key(element, key);
  }

  private attributes(element: XmlElement, type: ComplexTypeDef, scope: Scope): void {
    let present: Set<string> | undefined;
    for (const a of element.attributes) {
      const name = a.name;
      if (!element.startTagClosed && !a.valueClosed) continue; // still being typed
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const colon = name.indexOf(':');
      if (colon >= 0) {
        const prefix = name.slice(0, colon);
        if (prefix === 'xsi' || scope?.get(prefix) === XSI_NAMESPACE) continue;
      }
      const decl = type.attributes.get(name);
      if (!decl && type.anyAttribute) continue;
      if (!decl || decl.prohibited) {
        this.unknownAttribute(element, a, type);
        continue;
      }
      (present ??= new Set()).add(name);
      if (a.value !== undefined && a.valueSpan && (a.valueClosed || element.startTagClosed)) this.attributeValue(element, a, decl);
    }
    if (!element.startTagClosed) return;
    for (const decl of type.attributes.values()) {
      if (decl.required && !present?.has(decl.name)) {
        this.reportedMissing.add(`${element.start}:${decl.name}`);
        this.report('schema-missing-attribute', element.nameSpan, `<${element.name}> is missing the required attribute ${decl.name}.`, {
          attribute: decl.name,
          ...(decl.type.enumeration ? { allowed: decl.type.enumeration.map((e) => e.value) } : {}),
        });
      }
    }
  }

  private unknownAttribute(element: XmlElement, a: XmlAttribute, type: ComplexTypeDef): void {
    const allowed = [...type.attributes.values()].filter((d) => !d.prohibited).map((d) => d.name);
    const near = allowed.find((n) => n.toLowerCase() === a.name.toLowerCase());
    const hint = near ? ` Did you mean ${near}? Attribute names are case-sensitive.` : '';
    const what = allowed.length ? `allowed attributes are ${list(allowed)}` : 'it takes no attributes';
    this.report('schema-unknown-attribute', a.nameSpan, `Attribute ${a.name} is not allowed on <${element.name}>: ${what}.${hint}`, {
      attribute: a.name,
      allowed,
      ...(near ? { didYouMean: near } : {}),
    });
  }

  private attributeValue(element: XmlElement, a: XmlAttribute, decl: AttributeDecl): void {
    const value = a.value!;
    if (decl.fixed !== undefined) {
      if (canonicalValue(decl.type, value) !== canonicalValue(decl.type, decl.fixed) && !this.isTemplated(value)) {
        this.report('schema-invalid-value', a.valueSpan!, `The value of ${decl.name} must be '${decl.fixed}'.`, { attribute: decl.name, allowed: [decl.fixed] });
      }
      return;
    }
    this.checkValue(decl.type, value, a.valueSpan!, `${decl.name} on <${element.name}>`, { attribute: decl.name });
  }

  private checkValue(type: SimpleTypeDef, value: string, span: Span, what: string, data: Record<string, unknown>): void {
    // Templated values are not judged: asked only of values that would get a finding (most values are fine).
    const problem = checkSimpleValue(type, value, what);
    if (!problem || this.isTemplated(value)) return;
    this.report('schema-invalid-value', span, problem.message, {
      ...data,
      facet: problem.facet,
      ...(problem.allowed ? { allowed: problem.allowed } : {}),
      ...(problem.pattern ? { pattern: problem.pattern } : {}),
    });
  }

  private value(element: XmlElement, decl: ElementDecl, type: SimpleTypeDef): void {
    let value = '';
    let start = -1;
    let end = -1;
    for (const c of element.children) {
      if (c.type !== 'text' && c.type !== 'cdata') continue;
      value += c.value;
      const s = c.type === 'cdata' ? c.span.start + 9 : c.span.start;
      const e = c.type === 'cdata' ? c.span.end - 3 : c.span.end;
      if (start < 0) start = s;
      end = e;
    }
    let span: Span = element.nameSpan;
    if (start >= 0) {
      // Trim the span (not the value) to the visible text.
      const text = this.doc.text;
      let s = start;
      let e = end;
      while (s < e && isXmlSpace(text.charCodeAt(s))) s++;
      while (e > s && isXmlSpace(text.charCodeAt(e - 1))) e--;
      span = s < e ? { start: s, end: e } : { start, end };
    }
    if (decl.fixed !== undefined) {
      if (value !== decl.fixed && !this.isTemplated(value)) {
        this.report('schema-invalid-value', span, `<${element.name}> must contain '${decl.fixed}'.`, { element: decl.name, allowed: [decl.fixed] });
      }
      return;
    }
    this.checkValue(type, value, span, `<${element.name}>`, { element: decl.name });
  }

  private noChildElements(element: XmlElement, type: ComplexTypeDef): void {
    for (const c of element.children) {
      if (c.type !== 'element') continue;
      const why = type.kind === 'simple' ? `<${element.name}> holds a value, not elements` : `<${element.name}> takes no content`;
      this.report('schema-unexpected-element', c.nameSpan, `Unexpected <${c.name}> in <${element.name}>: ${why}.`, {
        expected: [],
        parentContent: type.kind,
      });
    }
  }

  private noText(element: XmlElement, why: string): void {
    for (const c of element.children) {
      if ((c.type !== 'text' && c.type !== 'cdata') || isBlank(c.value)) continue;
      const text = this.doc.text;
      let s = c.span.start;
      let e = c.span.end;
      while (s < e && isXmlSpace(text.charCodeAt(s))) s++;
      while (e > s && isXmlSpace(text.charCodeAt(e - 1))) e--;
      this.report('schema-text-not-allowed', { start: s, end: e }, `Text is not allowed in <${element.name}>: ${why}.`, { element: element.localName });
    }
  }

  // ---- content models -----------------------------------------------------------------------------------

  private children(element: XmlElement, type: ComplexTypeDef, scope: Scope, depth: number, complete: boolean): void {
    const automaton = type.content!.automaton;
    let state = automaton.initial;
    const matched: Matched[] = [];
    const children: XmlElement[] = [];
    for (const c of element.children) if (c.type === 'element') children.push(c);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const childScope = this.scopeOf(child, scope);
      const namespace = this.namespaceOf(child, childScope);
      const step = automaton.step(state, child.localName, namespace);
      if (step) {
        matched.push({ before: state, name: child.localName, element: child });
        state = step.state;
        const childDecl = this.schema.declOfPosition(step.matched, child.localName);
        if (childDecl) this.element(child, childDecl, childScope, depth + 1);
        else if (step.matched.kind === 'any' && step.matched.wildcard.processContents === 'strict') {
          this.report('schema-unexpected-element', child.nameSpan, `<${child.name}> is not declared by the schema.`, { expected: [] });
        }
        continue;
      }
      // Does it fit after adding some missing elements (and none of those come later)?
      const path = automaton.shortestPath(state, child.localName, namespace);
      if (path && path.names.length > 0 && !children.slice(i + 1).some((later) => path.names.includes(later.localName))) {
        const required = this.requiredNext(automaton, state, child.localName, namespace);
        this.report(
          'schema-missing-element',
          element.nameSpan,
          `<${element.name}> is missing ${describeMissing(path.names, required)} before <${child.name}>.`,
          { missing: path.names, expected: required, insertAt: child.start, before: child.localName },
        );
        const after = automaton.step(path.state, child.localName, namespace)!;
        matched.push({ before: path.state, name: child.localName, element: child });
        state = after.state;
        const childDecl = this.schema.declOfPosition(after.matched, child.localName);
        if (childDecl) this.element(child, childDecl, childScope, depth + 1);
        continue;
      }
      this.unexpected(element, child, automaton, state, matched);
      // Still check its content when its name is declared somewhere in this model.
      const elsewhere = automaton.allDecls().find((d) => d.name === child.localName);
      if (elsewhere) this.element(child, elsewhere, childScope, depth + 1);
    }
    if (complete && !state.accepting) {
      const path = automaton.shortestPath(state);
      if (path) {
        const required = this.requiredNext(automaton, state);
        const last = children[children.length - 1];
        this.report('schema-missing-element', element.nameSpan, `<${element.name}> is missing ${describeMissing(path.names, required)}.`, {
          missing: path.names,
          expected: required,
          ...(element.selfClosing ? { selfClosing: true } : { insertAt: last ? last.end : element.startTagEnd }),
        });
      }
    }
  }

  /** Names that start a shortest completion (to `name`, or to the end): the real alternatives for a fix. */
  private requiredNext(automaton: ContentAutomaton, state: AutomatonState, name?: string, namespace?: string): string[] {
    const best = automaton.shortestPath(state, name, namespace);
    if (!best || best.names.length === 0) return [];
    const out: string[] = [];
    for (const d of automaton.expected(state).decls) {
      const next = automaton.step(state, d.name, d.namespace);
      if (!next) continue;
      const rest = automaton.shortestPath(next.state, name, namespace);
      if (rest && rest.names.length + 1 === best.names.length) out.push(d.name);
    }
    return out;
  }

  private unexpected(element: XmlElement, child: XmlElement, automaton: ContentAutomaton, state: AutomatonState, matched: Matched[]): void {
    const { decls, wildcard } = automaton.expected(state);
    const expected = decls.map((d) => d.name);
    const name = child.localName;
    let hint = '';
    let data: Record<string, unknown> = {};
    const declared = automaton.allDecls().some((d) => d.name === name);
    if (declared) {
      for (const m of matched) {
        if (!automaton.step(m.before, name, undefined)) continue;
        if (m.name === name) {
          hint = ` (<${name}> cannot be repeated here)`;
          data = { repeated: true };
        } else {
          hint = ` (<${name}> must come before <${m.element.name}>)`;
          data = { belongsBefore: m.element.localName, moveTo: m.element.start };
        }
        break;
      }
      if (!hint) hint = ` (<${name}> is not allowed here)`;
    } else {
      const near = automaton.allDecls().find((d) => d.name.toLowerCase() === name.toLowerCase());
      if (near) {
        hint = ` (did you mean <${near.name}>? Element names are case-sensitive)`;
        data = { didYouMean: near.name };
      } else hint = ` (<${element.localName}> has no child element <${name}>)`;
    }
    const options = wildcard ? [...expected, 'any element'] : expected;
    const what = options.length === 0 ? `no more child elements are allowed here` : `expected ${options.length === 1 ? `<${options[0]}>` : `one of ${list(options)}`}`;
    const ending = state.accepting && options.length ? ` or the end of <${element.name}>` : '';
    this.report('schema-unexpected-element', child.nameSpan, `Unexpected <${child.name}> in <${element.name}>: ${what}${ending}${hint}.`, {
      expected,
      ...data,
    });
  }

  // ---- identity constraints -----------------------------------------------------------------------------

  private key(scopeElement: XmlElement, key: KeyDecl): void {
    const seen = new Map<string, XmlElement>();
    for (const target of selectElements(scopeElement, key)) {
      const parts: string[] = [];
      let missing = false;
      let valueSpan: Span | undefined;
      for (const field of key.fields) {
        if ('attribute' in field) {
          const a = target.attributes.find((x) => x.name === field.attribute);
          if (!a || a.value === undefined) {
            missing = true;
            if (key.kind === 'key' && target.startTagClosed && !this.reportedMissing.has(`${target.start}:${field.attribute}`)) {
              this.report('schema-missing-attribute', target.nameSpan, `<${target.name}> needs a ${field.attribute} (key ${key.name}).`, {
                attribute: field.attribute,
                key: key.name,
              });
            }
            break;
          }
          valueSpan ??= a.valueSpan;
          const type = this.declOf.get(target)?.type.attributes.get(field.attribute)?.type;
          parts.push(type ? canonicalValue(type, a.value) : a.value);
        } else {
          let e: XmlElement | undefined = target;
          for (const step of field.steps) e = e && firstChildNamed(e, step);
          if (!e) {
            missing = true;
            break;
          }
          parts.push(textOf(e));
          valueSpan ??= e.nameSpan;
        }
      }
      if (missing) continue;
      const id = parts.join('\u0000');
      const first = seen.get(id);
      if (!first) {
        seen.set(id, target);
        continue;
      }
      const shown = parts.length === 1 ? `'${parts[0]}'` : `(${parts.map((p) => `'${p}'`).join(', ')})`;
      const fieldNames = key.fields.map((f) => ('attribute' in f ? f.attribute : f.steps.join('/'))).join(', ');
      this.report(
        'schema-duplicate-key',
        valueSpan ?? target.nameSpan,
        `Duplicate ${fieldNames} ${shown} in <${scopeElement.name}>: another <${first.name}> already uses it (key ${key.name}).`,
        { key: key.name, value: parts.length === 1 ? parts[0] : parts, first: { start: first.nameSpan.start, end: first.nameSpan.end } },
      );
    }
  }
}

function selectElements(scope: XmlElement, key: KeyDecl): XmlElement[] {
  const out: XmlElement[] = [];
  for (const alternative of key.selector) {
    let current: XmlElement[] = [scope];
    alternative.steps.forEach((step, index) => {
      const next: XmlElement[] = [];
      for (const e of current) {
        if (index === 0 && alternative.descendant) collectDescendants(e, step, next);
        else for (const c of e.children) if (c.type === 'element' && (step === '*' || c.localName === step)) next.push(c);
      }
      current = next;
    });
    if (alternative.steps.length) out.push(...current);
  }
  if (key.selector.length > 1) out.sort((a, b) => a.start - b.start);
  return out;
}

function collectDescendants(e: XmlElement, step: string, out: XmlElement[]): void {
  for (const c of e.children) {
    if (c.type !== 'element') continue;
    if (step === '*' || c.localName === step) out.push(c);
    collectDescendants(c, step, out);
  }
}

function firstChildNamed(e: XmlElement, name: string): XmlElement | undefined {
  for (const c of e.children) if (c.type === 'element' && (name === '*' || c.localName === name)) return c;
  return undefined;
}

function textOf(e: XmlElement): string {
  let s = '';
  for (const c of e.children) if (c.type === 'text' || c.type === 'cdata') s += c.value;
  return s;
}

function isXmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isXmlSpace(s.charCodeAt(i))) return false;
  return true;
}

function list(names: string[]): string {
  return names.length > MAX_LISTED ? names.slice(0, MAX_LISTED).join(', ') + `, ... (${names.length - MAX_LISTED} more)` : names.join(', ');
}

function describeMissing(path: string[], required: string[]): string {
  if (path.length === 1) return required.length > 1 ? `a child element (one of ${list(required)})` : `<${path[0]}>`;
  return `child elements ${path.map((n) => `<${n}>`).join(', ')}`;
}
