/**
 * A compiled schema and the questions completion, hover and the validator ask of it.
 *
 * Typical use (callers cache the compiled schema per schema file):
 *   const schema = compileSchema(xsdText);
 *   const decl = schema.elementDeclFor(element);          // declaration of an element of a parsed policy
 *   decl?.documentation;                                   // hover text
 *   schema.attributes(decl);                               // name, required, type (enumeration), documentation
 *   schema.allowedChildren(decl, ['DisplayName']);         // what may come next, in content-model order
 */
import type { AutomatonState, ContentAutomaton, Position } from './automaton';
import type { AttributeDecl, ComplexTypeDef, ElementDecl, SimpleTypeDef } from './model';
import type { XmlElement } from '../xml/nodes';

export interface CompiledSchemaParts {
  targetNamespace: string | undefined;
  globalElements: Map<string, ElementDecl>;
  complexTypes: Map<string, ComplexTypeDef>;
  simpleTypes: Map<string, SimpleTypeDef>;
}

export class CompiledSchema {
  /** The namespace policy elements must be in (`http://schemas.microsoft.com/online/cpim/schemas/2013/06`). */
  readonly targetNamespace: string | undefined;
  /** Global element declarations by name (the possible roots). */
  readonly globalElements: ReadonlyMap<string, ElementDecl>;
  /** Named complex and simple types by local name. */
  readonly complexTypes: ReadonlyMap<string, ComplexTypeDef>;
  readonly simpleTypes: ReadonlyMap<string, SimpleTypeDef>;

  constructor(parts: CompiledSchemaParts) {
    this.targetNamespace = parts.targetNamespace;
    this.globalElements = parts.globalElements;
    this.complexTypes = parts.complexTypes;
    this.simpleTypes = parts.simpleTypes;
  }

  /** The declaration of a root element by local name. */
  rootDecl(localName: string): ElementDecl | undefined {
    return this.globalElements.get(localName);
  }

  /**
   * The declaration that governs an element of a parsed document, resolved by walking from the root through
   * each parent's content model (so the same name in different places gets the right declaration). Elements
   * that are out of place resolve to the first declaration of that name in their parent's model; undefined
   * when nothing declares them (or they sit under a skip wildcard).
   */
  elementDeclFor(element: XmlElement): ElementDecl | undefined {
    const path: XmlElement[] = [];
    for (let e: XmlElement | undefined = element; e; e = e.parent) path.unshift(e);
    let decl = this.rootDecl(path[0].localName);
    for (let i = 1; decl && i < path.length; i++) decl = this.childDeclIn(decl, path[i - 1], path[i]);
    return decl;
  }

  /** The declaration of `child` as a child of `parent` (whose declaration is `parentDecl`). */
  childDeclIn(parentDecl: ElementDecl, parent: XmlElement, child: XmlElement): ElementDecl | undefined {
    const preceding: string[] = [];
    for (const c of parent.children) {
      if (c === child) break;
      if (c.type === 'element') preceding.push(c.localName);
    }
    return this.childDecl(parentDecl, preceding, child.localName);
  }

  /**
   * The declaration of a child named `name` that follows children named `precedingChildNames`. Children that
   * do not fit are skipped, as the validator does. Falls back to any declaration of that name in the model.
   */
  childDecl(parentDecl: ElementDecl, precedingChildNames: string[], name: string): ElementDecl | undefined {
    const automaton = parentDecl.type.content?.automaton;
    if (!automaton) return undefined;
    const state = this.stateAfter(automaton, precedingChildNames);
    const step = automaton.step(state, name, this.targetNamespace);
    if (step) return this.declOfPosition(step.matched, name);
    return automaton.allDecls().find((d) => d.name === name);
  }

  /**
   * The child elements allowed after the given preceding children (local names, in document order), in
   * content-model order: what completion offers at a position. Children that do not fit are skipped.
   */
  allowedChildren(decl: ElementDecl, precedingChildNames: string[] = []): ElementDecl[] {
    const automaton = decl.type.content?.automaton;
    if (!automaton) return [];
    return automaton.expected(this.stateAfter(automaton, precedingChildNames)).decls;
  }

  /** Whether the content is complete after these children (no required child is missing). */
  isComplete(decl: ElementDecl, childNames: string[]): boolean {
    const automaton = decl.type.content?.automaton;
    if (!automaton) return true;
    return this.stateAfter(automaton, childNames).accepting;
  }

  /** Every child element declared anywhere in the element's content model (first per name), in model order. */
  childDecls(decl: ElementDecl): ElementDecl[] {
    return decl.type.content?.automaton.allDecls() ?? [];
  }

  /** Hover text of an element: its declaration's documentation, else its named type's. */
  documentation(decl: ElementDecl): string | undefined {
    return decl.documentation ?? decl.type.documentation;
  }

  /** The element's attributes, in declaration order (prohibited ones left out). */
  attributes(decl: ElementDecl): AttributeDecl[] {
    return [...decl.type.attributes.values()].filter((a) => !a.prohibited);
  }

  attribute(decl: ElementDecl, name: string): AttributeDecl | undefined {
    const a = decl.type.attributes.get(name);
    return a && !a.prohibited ? a : undefined;
  }

  /** The simple type of the element's text, when it holds a value (simple types, simpleContent). */
  valueType(decl: ElementDecl): SimpleTypeDef | undefined {
    return decl.type.kind === 'simple' ? decl.type.simpleType : undefined;
  }

  private stateAfter(automaton: ContentAutomaton, names: string[]): AutomatonState {
    let state = automaton.initial;
    for (const name of names) {
      const step = automaton.step(state, name, this.targetNamespace);
      if (step) state = step.state;
    }
    return state;
  }

  /** The declaration a matched position stands for (a wildcard: a global declaration of that name, if any). */
  declOfPosition(position: Position, name: string): ElementDecl | undefined {
    if (position.kind === 'element') return position.decl;
    if (position.wildcard.processContents === 'skip') return undefined;
    return this.globalElements.get(name);
  }
}
