import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SchemaCache, bundledSchemaPath } from '../../server/src/schemaFile';
import { validateDocument, type CompiledSchema } from '../../server/src/service/schema';
import { parseXml, walkElements } from '../../server/src/service/xml';

/** The repository root: test/out/test/unit -> four levels up (or two from the sources). */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'snippets', 'b2c-policy.code-snippets'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`snippets/ not found above ${__dirname}`);
  }
}
const SNIPPETS_FILE = path.join(repoRoot(), 'snippets', 'b2c-policy.code-snippets');

interface Snippet {
  scope?: string;
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

function loadSnippets(): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(SNIPPETS_FILE, 'utf8')) as Record<string, Snippet>;
}
const bodyText = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

// ---------------------------------------------------------------------------------------------
// A small expander for VS Code snippet syntax (the subset the grammar in the VS Code docs defines):
// $1, ${1}, ${1:placeholder (may nest)}, ${1|one,two|}, $0, $NAME, ${NAME}, ${NAME:default}, and the
// escapes \$ \} \\ (plus \, and \| inside choices).
// ---------------------------------------------------------------------------------------------

type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children?: SnippetNode[]; choices?: string[] }
  | { kind: 'variable'; name: string; children?: SnippetNode[] };

class SnippetParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    if (this.pos !== this.src.length) throw new Error(`unexpected '${this.src[this.pos]}' at ${this.pos}`);
    return nodes;
  }

  /** Nodes up to the end, or (inside a placeholder) up to an unescaped '}'. */
  private sequence(inPlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && '$}\\'.includes(this.src[this.pos + 1] ?? '')) {
        text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        const node = this.dollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          this.pos++;
        }
      } else {
        text += c;
        this.pos++;
      }
    }
    flush();
    return nodes;
  }

  /** Parses the construct at '$', or returns undefined (position unchanged) when '$' is literal. */
  private dollar(): SnippetNode | undefined {
    const rest = this.src.slice(this.pos);
    let m = /^\$(\d+)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      return { kind: 'tabstop', index: Number(m[1]) };
    }
    m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      return { kind: 'variable', name: m[1] };
    }
    m = /^\$\{(\d+)(\}|:|\|)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      const index = Number(m[1]);
      if (m[2] === '}') return { kind: 'tabstop', index };
      if (m[2] === ':') {
        const children = this.sequence(true);
        this.expect('}');
        return { kind: 'tabstop', index, children };
      }
      return { kind: 'tabstop', index, choices: this.choices() };
    }
    m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(\}|:)/.exec(rest);
    if (m) {
      this.pos += m[0].length;
      if (m[2] === '}') return { kind: 'variable', name: m[1] };
      const children = this.sequence(true);
      this.expect('}');
      return { kind: 'variable', name: m[1], children };
    }
    return undefined;
  }

  private choices(): string[] {
    const options: string[] = [];
    let current = '';
    for (;;) {
      if (this.pos >= this.src.length) throw new Error('unterminated choice');
      const c = this.src[this.pos];
      if (c === '\\' && ',|\\$}'.includes(this.src[this.pos + 1] ?? '')) {
        current += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === ',') {
        options.push(current);
        current = '';
        this.pos++;
      } else if (c === '|' && this.src[this.pos + 1] === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += c;
        this.pos++;
      }
    }
  }

  private expect(c: string): void {
    if (this.src[this.pos] !== c) throw new Error(`expected '${c}' at ${this.pos} in ${JSON.stringify(this.src)}`);
    this.pos++;
  }
}

export function parseSnippet(body: string): SnippetNode[] {
  return new SnippetParser(body).parse();
}

const VARIABLES: Record<string, string> = { TM_FILENAME: 'TrustFrameworkExtensions.xml', TM_FILENAME_BASE: 'TrustFrameworkExtensions' };

/**
 * The text inserted when every tab stop keeps its default: a placeholder's text, a choice's first option
 * (or `selected[index]`), mirrors of an index repeat the first defining occurrence.
 */
export function expandSnippet(body: string, selected: Record<number, string> = {}): string {
  const nodes = parseSnippet(body);
  const defining = new Map<number, SnippetNode & { kind: 'tabstop' }>();
  const collect = (list: SnippetNode[]) => {
    for (const n of list) {
      if (n.kind === 'text') continue;
      if (n.kind === 'tabstop' && (n.children || n.choices) && !defining.has(n.index)) defining.set(n.index, n);
      if (n.children) collect(n.children);
    }
  };
  collect(nodes);
  const render = (list: SnippetNode[]): string =>
    list
      .map((n) => {
        if (n.kind === 'text') return n.value;
        if (n.kind === 'variable') return VARIABLES[n.name] ?? (n.children ? render(n.children) : n.name);
        if (n.index in selected) return selected[n.index];
        const def = defining.get(n.index);
        if (!def) return '';
        return def.choices ? def.choices[0] : render(def.children!);
      })
      .join('');
  return render(nodes);
}

/** Every choice tab stop of a body. */
function choicesOf(body: string): { index: number; choices: string[] }[] {
  const found: { index: number; choices: string[] }[] = [];
  const walk = (list: SnippetNode[]) => {
    for (const n of list) {
      if (n.kind === 'tabstop' && n.choices) found.push({ index: n.index, choices: n.choices });
      if (n.kind !== 'text' && n.children) walk(n.children);
    }
  };
  walk(parseSnippet(body));
  return found;
}

// ---------------------------------------------------------------------------------------------
// Host policies: where each snippet is inserted (at the marker) to be validated.
// ---------------------------------------------------------------------------------------------

const NS = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';
const MARK = '<!--SNIPPET-->';

function policy(body: string, basePolicy = true): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns="${NS}" PolicySchemaVersion="0.3.0.0" TenantId="contoso.onmicrosoft.com"
  PolicyId="B2C_1A_Test" PublicPolicyUri="http://contoso.onmicrosoft.com/B2C_1A_Test">
${basePolicy ? '  <BasePolicy>\n    <TenantId>contoso.onmicrosoft.com</TenantId>\n    <PolicyId>B2C_1A_Base</PolicyId>\n  </BasePolicy>\n' : ''}${body}
</TrustFrameworkPolicy>`;
}

const claimsProviders = (inner: string) => `  <ClaimsProviders>\n${inner}\n  </ClaimsProviders>`;
const technicalProfiles = (inner: string) =>
  claimsProviders(`    <ClaimsProvider>\n      <DisplayName>Host</DisplayName>\n      <TechnicalProfiles>\n${inner}\n      </TechnicalProfiles>\n    </ClaimsProvider>`);
const technicalProfile = (inner: string) =>
  technicalProfiles(`        <TechnicalProfile Id="Host-TP">\n          <DisplayName>Host</DisplayName>\n          <Protocol Name="OAuth2"/>\n${inner}\n        </TechnicalProfile>`);
const journey = (steps: string) =>
  `  <UserJourneys>\n    <UserJourney Id="HostJourney">\n      <OrchestrationSteps>\n${steps}\n      </OrchestrationSteps>\n    </UserJourney>\n  </UserJourneys>`;

const HOSTS = {
  claimsProvider: policy(claimsProviders(MARK)),
  technicalProfile: policy(technicalProfiles(MARK)),
  claimType: policy(`  <BuildingBlocks>\n    <ClaimsSchema>\n${MARK}\n    </ClaimsSchema>\n  </BuildingBlocks>`),
  claimsTransformation: policy(`  <BuildingBlocks>\n    <ClaimsTransformations>\n${MARK}\n    </ClaimsTransformations>\n  </BuildingBlocks>`),
  orchestrationStep: policy(journey(MARK)),
  claimsProviderSelection: policy(
    journey(`        <OrchestrationStep Order="1" Type="CombinedSignInAndSignUp" ContentDefinitionReferenceId="api.signuporsignin">\n          <ClaimsProviderSelections>\n${MARK}\n          </ClaimsProviderSelections>\n        </OrchestrationStep>`),
  ),
  claimsExchange: policy(
    journey(`        <OrchestrationStep Order="1" Type="ClaimsExchange">\n          <ClaimsExchanges>\n${MARK}\n          </ClaimsExchanges>\n        </OrchestrationStep>`),
  ),
  metadataItem: policy(technicalProfile(`          <Metadata>\n${MARK}\n          </Metadata>`)),
  cryptographicKey: policy(technicalProfile(`          <CryptographicKeys>\n${MARK}\n          </CryptographicKeys>`)),
  relyingParty: policy(`  <UserJourneys>\n    <UserJourney Id="SignUpOrSignIn"/>\n  </UserJourneys>\n${MARK}`),
  basePolicy: policy(`${MARK}\n  <BuildingBlocks/>`, false),
} as const;

/** Snippet name -> host. A snippet added to the file without an entry here fails the coverage test. */
const HOST_OF: Record<string, keyof typeof HOSTS> = {
  'Amazon claims provider': 'claimsProvider',
  'OAuth2 technical profile': 'technicalProfile',
  'OpenID Connect technical profile': 'technicalProfile',
  'Claim type': 'claimType',
  'Claims transformation': 'claimsTransformation',
  'Orchestration step (claims exchange)': 'orchestrationStep',
  'Claims provider selection': 'claimsProviderSelection',
  'Claims exchange': 'claimsExchange',
  'Metadata item': 'metadataItem',
  'Cryptographic key': 'cryptographicKey',
  'Relying party': 'relyingParty',
  'Base policy': 'basePolicy',
};

let cachedSchema: CompiledSchema | undefined;
const schema = () => (cachedSchema ??= new SchemaCache().load());

function hostedText(name: string, expanded: string): string {
  const host = HOSTS[HOST_OF[name]];
  assert.ok(host, `no host for snippet "${name}"`);
  assert.ok(host.includes(MARK));
  return host.replace(MARK, expanded);
}

function findingsOf(text: string): string[] {
  return validateDocument(schema(), parseXml(text), { throwInternalErrors: true }).map((f) => `${f.code}: ${f.message} [${text.slice(f.span.start, f.span.end)}]`);
}

/** The enumerations of the bundled XSD's named simple types. */
function schemaEnumerations(): Map<string, string[]> {
  const doc = parseXml(fs.readFileSync(bundledSchemaPath(), 'utf8'));
  const result = new Map<string, string[]>();
  for (const e of walkElements(doc.root)) {
    if (e.name !== 'xs:simpleType') continue;
    const name = e.attributes.find((a) => a.name === 'name')?.value;
    if (!name) continue;
    const values = [...walkElements(e)].filter((x) => x.name === 'xs:enumeration').map((x) => x.attributes.find((a) => a.name === 'value')?.value ?? '');
    if (values.length) result.set(name, values);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------

test('the snippet expander handles tab stops, placeholders, choices, mirrors, variables and escapes', () => {
  assert.equal(expandSnippet('a$1b${2}c$0'), 'abc');
  assert.equal(expandSnippet('<X Id="${1:one}">$1</X>'), '<X Id="one">one</X>');
  assert.equal(expandSnippet('${1:outer ${2:inner}} $2'), 'outer inner inner');
  assert.equal(expandSnippet('${1|a,b\\,c,d|}'), 'a');
  assert.equal(expandSnippet('${1|a,b\\,c,d|}', { 1: 'b,c' }), 'b,c');
  assert.deepEqual(choicesOf('${3|x,y\\|z|}'), [{ index: 3, choices: ['x', 'y|z'] }]);
  assert.equal(expandSnippet('\\$1 costs \\$ and ${1:{0\\}}'), '$1 costs $ and {0}');
  assert.equal(expandSnippet('$TM_FILENAME_BASE ${UNKNOWN:fallback} a$ b'), 'TrustFrameworkExtensions fallback a$ b');
});

test('the snippet file is valid JSON and every snippet is well formed', () => {
  const snippets = loadSnippets();
  const names = Object.keys(snippets);
  assert.ok(names.length >= 12);
  const prefixes = new Set<string>();
  for (const name of names) {
    const s = snippets[name];
    assert.equal(s.scope, 'xml', name);
    for (const prefix of Array.isArray(s.prefix) ? s.prefix : [s.prefix]) {
      assert.match(prefix, /^b2c-[a-z0-9-]+$/, name);
      assert.ok(!prefixes.has(prefix), `duplicate prefix ${prefix}`);
      prefixes.add(prefix);
    }
    assert.ok(typeof s.description === 'string' && s.description.length > 0, name);
    assert.ok(bodyText(s).length > 0, name);
    assert.doesNotThrow(() => parseSnippet(bodyText(s)), name);
  }
});

test('every snippet has a host policy, and every host entry names a snippet', () => {
  const names = Object.keys(loadSnippets()).sort();
  assert.deepEqual(names, Object.keys(HOST_OF).sort());
});

test('every snippet, expanded with its defaults and inserted in its host, validates with zero findings', () => {
  // The validator does look at what is inserted: a foreign element in any host is reported.
  for (const [hostName, host] of Object.entries(HOSTS)) assert.notDeepEqual(findingsOf(host.replace(MARK, '<Bogus/>')), [], `host ${hostName}`);
  for (const [name, snippet] of Object.entries(loadSnippets())) {
    const expanded = expandSnippet(bodyText(snippet));
    assert.ok(!/\$\{|\$\d/.test(expanded), `${name}: unexpanded snippet syntax in ${expanded}`);
    const text = hostedText(name, expanded);
    assert.deepEqual(parseXml(text).problems, [], `${name}: not well-formed`);
    assert.deepEqual(findingsOf(text), [], name);
  }
});

test('every option of every choice is a value of one schema enumeration and validates in place', () => {
  const enumerations = schemaEnumerations();
  assert.ok(enumerations.get('DataType')?.includes('stringCollection'));
  assert.ok(enumerations.get('ProtocolName')?.includes('OpenIdConnect'));
  let choiceCount = 0;
  for (const [name, snippet] of Object.entries(loadSnippets())) {
    const body = bodyText(snippet);
    for (const { index, choices } of choicesOf(body)) {
      choiceCount++;
      assert.equal(new Set(choices).size, choices.length, `${name}: duplicate option in choice $${index}`);
      const owners = [...enumerations].filter(([, values]) => choices.every((c) => values.includes(c))).map(([type]) => type);
      assert.ok(owners.length > 0, `${name}: choice $${index} (${choices.join(', ')}) is not a subset of any enumeration of the schema`);
      for (const option of choices) {
        assert.deepEqual(findingsOf(hostedText(name, expandSnippet(body, { [index]: option }))), [], `${name}: choice $${index} = ${option}`);
      }
    }
  }
  assert.ok(choiceCount >= 3);
});

test('the DataType choice of the claim type lists every DataType of the schema', () => {
  const dataTypes = schemaEnumerations().get('DataType')!;
  const body = bodyText(loadSnippets()['Claim type']);
  const choice = choicesOf(body).find((c) => c.choices.includes('stringCollection'));
  assert.ok(choice);
  assert.deepEqual([...choice.choices].sort(), [...dataTypes].sort());
});

test('no snippet holds a secret: client_secret only as a policy key reference', () => {
  for (const [name, snippet] of Object.entries(loadSnippets())) {
    const body = bodyText(snippet);
    assert.ok(!/<Item\s+Key\s*=\s*"[^"]*secret[^"]*"/i.test(body), `${name}: a secret as a Metadata item`);
    const doc = parseXml(hostedText(name, expandSnippet(body)));
    for (const e of walkElements(doc.root)) {
      if (e.name === 'Item') {
        const key = e.attributes.find((a) => a.name === 'Key')?.value ?? '';
        assert.ok(!/secret|password/i.test(key), `${name}: Metadata item ${key}`);
      }
      if (e.name === 'Key') {
        assert.deepEqual(e.attributes.map((a) => a.name).sort(), ['Id', 'StorageReferenceId'], `${name}: Key attributes`);
        assert.match(e.attributes.find((a) => a.name === 'StorageReferenceId')?.value ?? '', /^B2C_1A_/, name);
        assert.equal(e.children.length, 0, `${name}: Key has content`);
      }
    }
  }
  // The social identity providers read client_secret from a policy key.
  for (const name of ['Amazon claims provider', 'OAuth2 technical profile', 'OpenID Connect technical profile']) {
    assert.match(bodyText(loadSnippets()[name]), /<Key Id="client_secret" StorageReferenceId="\$\{\d+:B2C_1A_\w+\}"\/>/, name);
  }
});

test('the Amazon claims provider expands to the documented provider', () => {
  const expanded = expandSnippet(bodyText(loadSnippets()['Amazon claims provider']));
  const doc = parseXml(expanded);
  const items = new Map<string, string>();
  for (const e of walkElements(doc.root)) {
    if (e.name === 'Item') items.set(e.attributes[0].value ?? '', e.children.map((c) => (c.type === 'text' ? c.value : '')).join(''));
  }
  assert.deepEqual(Object.fromEntries(items), {
    ProviderName: 'amazon',
    authorization_endpoint: 'https://www.amazon.com/ap/oa',
    AccessTokenEndpoint: 'https://api.amazon.com/auth/o2/token',
    ClaimsEndpoint: 'https://api.amazon.com/user/profile',
    client_id: 'Your Amazon application ID',
    scope: 'profile',
    HttpBinding: 'POST',
    UsePolicyInRedirectUri: 'false',
  });
  assert.match(expanded, /<TechnicalProfile Id="Amazon-OAuth2">/);
  assert.match(expanded, /<Key Id="client_secret" StorageReferenceId="B2C_1A_AmazonSecret"\/>/);
  assert.match(expanded, /<UseTechnicalProfileForSessionManagement ReferenceId="SM-SocialLogin"\/>/);
});
