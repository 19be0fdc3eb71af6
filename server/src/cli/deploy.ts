/**
 * `b2c-policy deploy | list | get | keys`: the deploy engine (server/src/deploy) fed from the file system,
 * signed in through @azure/identity. Conventions of `check` (DESIGN.md section 5): exit 0 success, 1 an
 * error-severity finding (refusals, rejected or failed uploads), 2 usage, I/O or sign-in errors with one line
 * on stderr. Nothing printed ever holds a token or a secret: both streams go through a redactor that knows
 * every secret read from the environment and every token obtained.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { pathToFileURL } from 'url';
import { formatSarif, formatText, severityName } from './format';
import { CLOUD_NAMES, cloudByName, EndpointError, resolveEndpoints, tenantCloudMismatch, type Endpoints } from '../deploy/clouds';
import { AUTH_METHODS, chooseAuthMethod, createCredential, credentialTokenProvider, CredentialSetupError } from '../deploy/credentials';
import { DEFAULT_CONCURRENCY, executePlan, type DeployFileResult } from '../deploy/deployer';
import { globalFetch, GraphClient, readableError, type FetchLike } from '../deploy/graphClient';
import { buildPlan, diagnosticsOf, PlanError, type DeployInput, type DeployPlan, type FileFindings } from '../deploy/plan';
import { parseState, previousHashes, recordDeploy, serializeState, STATE_FILE, STATE_FOLDER, STATE_FOLDER_GITIGNORE, targetKey } from '../deploy/state';
import { GraphApiError, getPolicyXml, listKeySetIds, listPolicyIds } from '../deploy/trustFramework';
import { writeFilesAtomically, WriteError } from '../node/atomicWrite';
import { readPolicyFile, stripBom } from '../node/policyFiles';
import { findXmlFiles } from '../node/workspaceFiles';
import { DiagnosticCodes } from '../protocol';
import { SchemaCache } from '../schemaFile';
import { PolicyLanguageService } from '../service/languageService';

export interface DeployIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: FetchLike;
  /** Resolves `--env NAME` to the policies to upload (the environments build); absent until it is wired. */
  resolveEnvironment?: (name: string, root: string) => Promise<DeployInput[]>;
}

export class UsageError extends Error {}

const CONNECTION_USAGE = `Target (all commands):
  --tenant TENANT        the B2C tenant, e.g. contoso.onmicrosoft.com (default: $AZURE_TENANT_ID)
  --cloud CLOUD          ${CLOUD_NAMES.join(' | ')} (default: $B2C_POLICY_CLOUD, else global); never guessed
  --graph-endpoint URL   send Graph requests to URL instead of the cloud's Graph root (a proxy or gateway;
                         $B2C_POLICY_GRAPH_ENDPOINT); https, or http to localhost only
  --authority-host URL   sign in at URL instead of the cloud's authority ($AZURE_AUTHORITY_HOST)
  --auth METHOD          ${AUTH_METHODS.join(' | ')} (default: $B2C_POLICY_AUTH, else from the environment)
Sign-in reads the @azure/identity environment variables: AZURE_CLIENT_ID with AZURE_CLIENT_SECRET, or
AZURE_CLIENT_CERTIFICATE_PATH; in GitHub Actions ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN (permissions: id-token:
write); in Azure Pipelines AZURE_SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN and SYSTEM_OIDCREQUESTURI; workload
identity AZURE_FEDERATED_TOKEN_FILE. Secrets are never accepted on the command line and never printed.`;

export const DEPLOY_USAGE = `Usage: b2c-policy deploy (--dir DIR | --env NAME) [--only FILES] [--dry-run] [--changed] [--force]
                         [--format text|json|sarif] [--concurrency N] [--root DIR] [target options]

Uploads the policies in DIR (for example the folder an environment is built into) through Microsoft Graph,
every base before the policies that build on it, level by level. Refuses, before uploading anything:
policies with errors (--force uploads anyway), a TenantId other than --tenant, unreplaced template tokens.
  --only FILES   only these files (names, paths or PolicyIds, comma-separated); their bases must be in the tenant
  --changed      only policies whose content differs from their last successful upload to this tenant
                 (hashes in <root>/${STATE_FOLDER}/${STATE_FILE}; the folder ignores itself in git)
  --dry-run      print the plan; no sign-in, nothing sent
  --root DIR     the workspace holding ${STATE_FOLDER}/ (default: the current folder)

${CONNECTION_USAGE}`;

export const LIST_USAGE = `Usage: b2c-policy list [--format text|json] [target options]

Lists the custom policies in the tenant.

${CONNECTION_USAGE}`;

export const GET_USAGE = `Usage: b2c-policy get [POLICY_ID...] --out DIR [--force] [target options]

Downloads the tenant's policies (all, or the ones named) into DIR, one file per policy named <PolicyId>.xml.
Existing files are not overwritten without --force.

${CONNECTION_USAGE}`;

export const KEYS_USAGE = `Usage: b2c-policy keys [--format text|json] [target options]

Lists the tenant's policy keys (keysets), e.g. B2C_1A_TokenSigningKeyContainer.

${CONNECTION_USAGE}`;

const USAGES: Record<string, string> = { deploy: DEPLOY_USAGE, list: LIST_USAGE, get: GET_USAGE, keys: KEYS_USAGE };
export const DEPLOY_COMMANDS = Object.keys(USAGES);

interface ParsedArguments {
  values: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

const VALUE_OPTIONS = new Set(['--tenant', '--cloud', '--graph-endpoint', '--authority-host', '--auth', '--format', '--dir', '--env', '--only', '--root', '--concurrency', '--out', '--schema']);
const FLAG_OPTIONS = new Set(['--dry-run', '--changed', '--force']);

function parseArguments(args: string[], allowedValues: string[], allowedFlags: string[]): ParsedArguments {
  const parsed: ParsedArguments = { values: new Map(), flags: new Set(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(flag) && allowedValues.includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      parsed.values.set(flag, [...(parsed.values.get(flag) ?? []), value]);
    } else if (FLAG_OPTIONS.has(flag) && allowedFlags.includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      parsed.flags.add(flag);
    } else if (flag.startsWith('-')) {
      throw new UsageError(`unknown option '${flag}'`);
    } else parsed.positional.push(arg);
  }
  return parsed;
}

const single = (p: ParsedArguments, flag: string): string | undefined => {
  const v = p.values.get(flag);
  if (v && v.length > 1) throw new UsageError(`${flag} given twice`);
  return v?.[0];
};

const CONNECTION_OPTIONS = ['--tenant', '--cloud', '--graph-endpoint', '--authority-host', '--auth'];

interface Connection {
  tenant: string;
  endpoints: Endpoints;
  auth?: string;
}

function connectionFrom(p: ParsedArguments, env: DeployIo['env']): Connection {
  const tenant = single(p, '--tenant') ?? env.AZURE_TENANT_ID;
  if (!tenant) throw new UsageError('--tenant is required (or set AZURE_TENANT_ID)');
  const cloudName = single(p, '--cloud') ?? env.B2C_POLICY_CLOUD ?? 'global';
  const cloud = cloudByName(cloudName);
  if (!cloud) throw new UsageError(`unknown cloud '${cloudName}' (${CLOUD_NAMES.join(', ')})`);
  const mismatch = tenantCloudMismatch(tenant, cloud);
  if (mismatch) throw new UsageError(mismatch);
  let endpoints: Endpoints;
  try {
    endpoints = resolveEndpoints(cloud, {
      graphEndpoint: single(p, '--graph-endpoint') ?? env.B2C_POLICY_GRAPH_ENDPOINT,
      authorityHost: single(p, '--authority-host') ?? env.AZURE_AUTHORITY_HOST,
    });
  } catch (e) {
    if (e instanceof EndpointError) throw new UsageError(e.message);
    throw e;
  }
  return { tenant, endpoints, auth: single(p, '--auth') };
}

/** Replaces every known secret in printed text. */
class Redactor {
  private readonly secrets = new Set<string>();
  add = (secret: string) => {
    if (secret.length >= 8) this.secrets.add(secret);
  };
  apply(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }
}

interface Session {
  client: GraphClient;
  signIn: () => Promise<void>;
}

function openSession(connection: Connection, io: DeployIo, redactor: Redactor, progress: (s: string) => void): Session {
  const fetchImpl: FetchLike = io.fetch ?? globalFetch;
  const { method, why } = chooseAuthMethod(connection.auth, io.env);
  const settings = { method, tenant: connection.tenant, endpoints: connection.endpoints, env: io.env, fetch: fetchImpl, onPrompt: (m: string) => io.err(m + '\n'), onSecret: redactor.add };
  const getToken = credentialTokenProvider(() => createCredential(settings), connection.endpoints.scope, redactor.add);
  const client = new GraphClient({
    endpoint: connection.endpoints.graphEndpoint,
    getToken,
    fetch: fetchImpl,
    onRetry: (r) => progress(`  retrying ${r.method} ${decodeURIComponent(r.path)} in ${(r.delayMs / 1000).toFixed(1)} s (${r.reason})\n`),
  });
  const cloud = connection.endpoints.cloud;
  return {
    client,
    signIn: async () => {
      progress(`Signing in to ${connection.tenant} (${cloud.label}${connection.endpoints.customAuthority ? ` at ${connection.endpoints.authorityHost}` : ''}) with ${method} (${why}).\n`);
      try {
        await getToken({});
      } catch (e) {
        if (e instanceof CredentialSetupError) throw new UsageError(e.message);
        throw new SignInError(`sign-in failed: ${readableError(e)}`);
      }
    },
  };
}

class SignInError extends Error {}

/** Runs one of the deploy commands; resolves to the exit code. */
export async function runDeployCommand(command: string, args: string[], io: DeployIo): Promise<number> {
  const redactor = new Redactor();
  const safe: DeployIo = { ...io, out: (s) => io.out(redactor.apply(s)), err: (s) => io.err(redactor.apply(s)) };
  if (args.includes('--help') || args.includes('-h')) {
    safe.out((USAGES[command] ?? DEPLOY_USAGE) + '\n');
    return 0;
  }
  try {
    switch (command) {
      case 'deploy':
        return await runDeploy(args, safe, redactor);
      case 'list':
        return await runList(args, safe, redactor);
      case 'get':
        return await runGet(args, safe, redactor);
      case 'keys':
        return await runKeys(args, safe, redactor);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    const message = e instanceof UsageError || e instanceof SignInError || e instanceof PlanError || e instanceof GraphApiError ? e.message : readableError(e);
    safe.err(`b2c-policy ${command}: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

function formatOption(p: ParsedArguments, allowed: string[]): string {
  const format = single(p, '--format') ?? 'text';
  if (!allowed.includes(format)) throw new UsageError(`unknown format '${format}' (${allowed.join(', ')})`);
  return format;
}

/** `deploy`. */
export async function runDeploy(args: string[], io: DeployIo, redactor = new Redactor()): Promise<number> {
  const p = parseArguments(args, [...CONNECTION_OPTIONS, '--format', '--dir', '--env', '--only', '--root', '--concurrency', '--schema'], ['--dry-run', '--changed', '--force']);
  if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}' (give the folder with --dir)`);
  const format = formatOption(p, ['text', 'json', 'sarif']);
  const dir = single(p, '--dir');
  const envName = single(p, '--env');
  if (!dir === !envName) throw new UsageError('give the policies to deploy with --dir DIR or --env NAME');
  const concurrencyText = single(p, '--concurrency');
  const concurrency = concurrencyText === undefined ? DEFAULT_CONCURRENCY : Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError('--concurrency must be a whole number from 1 to 16');
  const root = path.resolve(io.cwd, single(p, '--root') ?? '.');
  const connection = connectionFrom(p, io.env);
  const only = (p.values.get('--only') ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const dryRun = p.flags.has('--dry-run');
  // Text output shows progress on stdout; json and sarif keep stdout for the document.
  const progress = format === 'text' ? io.out : io.err;

  let inputs: DeployInput[];
  if (envName) {
    if (!io.resolveEnvironment) throw new UsageError('--env is not available in this build; build the environment and deploy its folder with --dir');
    inputs = await io.resolveEnvironment(envName, root);
  } else {
    inputs = readInputs(path.resolve(io.cwd, dir!), dir!);
  }
  if (inputs.length === 0) throw new UsageError(`no XML files in ${dir ?? envName}`);

  // Refuse policies with errors, unless --force: the same checks as `check`, on the texts to upload.
  const checked = checkInputs(inputs, io.cwd, single(p, '--schema'));
  const errors = checked.reduce((n, r) => n + r.diagnostics.length, 0);
  if (errors) {
    if (!p.flags.has('--force')) {
      writeFindings(format, checked.map((r) => ({ ...r, status: 'refused' as const })), io);
      io.err(`Refusing to deploy: ${errors} error${errors === 1 ? '' : 's'} in the policies (fix them, or pass --force to upload anyway).\n`);
      return 1;
    }
    io.err(`Deploying despite ${errors} error${errors === 1 ? '' : 's'} (--force).\n`);
  }

  const target = targetKey(connection.endpoints.graphEndpoint, connection.tenant);
  const statePath = path.join(root, STATE_FOLDER, STATE_FILE);
  // Read like a policy: a regular file only, size-capped (a repository could hold a link to /dev/zero here).
  const stateRead = fs.existsSync(statePath) ? readPolicyFile(statePath) : undefined;
  const parsed = parseState(stateRead?.ok ? stateRead.text : undefined);
  const { state } = parsed;
  const warning = stateRead && !stateRead.ok ? `${statePath}: ${stateRead.message}; the deploy state is not used` : parsed.warning;
  if (warning && p.flags.has('--changed')) io.err(`warning: ${warning}\n`);
  const plan = buildPlan(inputs, { targetTenant: connection.tenant, only, previousHashes: p.flags.has('--changed') ? previousHashes(state, target) : undefined });

  if (plan.refusals.length) {
    writeFindings(format, plan.refusals.map((r) => reportedOf({ ...r, status: 'refused' as const })), io);
    io.err(`Refusing to deploy: ${plan.refusals.reduce((n, r) => n + r.findings.length, 0)} problem(s) in ${plan.refusals.length} file(s); nothing was uploaded.\n`);
    return 1;
  }
  progress(describePlan(plan, connection, dryRun));
  if (dryRun) {
    if (format !== 'text') writeFindings(format, [], io);
    return 0;
  }
  if (plan.levels.length === 0) {
    if (format !== 'text') writeFindings(format, [], io);
    return 0;
  }

  const session = openSession(connection, io, redactor, progress);
  await session.signIn();
  const report = await executePlan(plan, {
    client: session.client,
    concurrency,
    onEvent: (event) => {
      if (event.type === 'done') progress(`  ${event.result.status.padEnd(8)} ${event.result.policyId}  ${event.result.path}${event.result.status === 'skipped' || event.result.status === 'failed' ? `  (${event.result.reason})` : ''}\n`);
    },
  });
  // Successful uploads are recorded even without --changed, so that a later --changed knows them.
  writeState(root, serializeState(recordDeploy(state, target, report.results, new Date())));

  for (const note of report.notes) io.err(`note: ${note}\n`);
  const counts = { created: 0, updated: 0, failed: 0, skipped: 0 };
  for (const r of report.results) counts[r.status]++;
  writeFindings(format, report.results.map(reportedOf), io);
  progress(`Deployed ${counts.created + counts.updated} of ${report.results.length} policies: ${counts.created} created, ${counts.updated} updated, ${counts.failed} failed, ${counts.skipped} skipped.\n`);
  return counts.failed + counts.skipped > 0 ? 1 : 0;
}

function readInputs(absolute: string, display: string): DeployInput[] {
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isDirectory()) throw new UsageError(`cannot read '${display}': no such folder`);
  const walk = findXmlFiles([{ absolute, display }]);
  const problem = walk.problems[0];
  if (problem) throw new Error(`${problem.display}: ${problem.message}; nothing was uploaded`);
  return walk.files.map((f) => {
    const read = readPolicyFile(f.absolute);
    if (!read.ok) throw new Error(`${f.display}: ${read.message}; nothing was uploaded`);
    return { path: f.display, text: read.text };
  });
}

/**
 * Findings the deploy judges itself: a base outside the files deployed is looked up in the tenant (and the
 * deploy refuses if it is not there), so `check`'s unresolved-base-policy does not stop a deploy.
 */
export const DEPLOY_CHECKS_BASE = new Set<string>([DiagnosticCodes.unresolvedBasePolicy]);

/** The error-severity findings of `check` on the texts to upload, per file that has any. */
function checkInputs(inputs: DeployInput[], cwd: string, schema: string | undefined): Reported[] {
  const service = new PolicyLanguageService({ schema: new SchemaCache().load(schema), log: () => undefined });
  const uris = inputs.map((input) => {
    const uri = pathToFileURL(path.resolve(cwd, input.path)).href;
    service.setDiskFile(uri, stripBom(input.text));
    return { uri, input };
  });
  const out: Reported[] = [];
  for (const { uri, input } of uris) {
    if (!service.isPolicy(uri)) continue;
    const diagnostics = service.diagnostics(uri).filter((d) => d.severity === 1 && !DEPLOY_CHECKS_BASE.has(String(d.code)));
    if (diagnostics.length) out.push({ path: input.path, diagnostics });
  }
  return out;
}

/**
 * Writes the deploy state inside the workspace only: the folder must be a real folder (not a link), and each
 * file is replaced by a rename (a link in its place is replaced, never written through to its target).
 */
function writeState(root: string, text: string): void {
  const folder = path.join(root, STATE_FOLDER);
  fs.mkdirSync(folder, { recursive: true });
  if (!fs.lstatSync(folder).isDirectory()) throw new WriteError(`${folder} is not a folder (a symbolic link?): the deploy state was not written`);
  const ignore = path.join(folder, '.gitignore');
  const writes = [{ path: path.join(folder, STATE_FILE), data: text }];
  if (!fs.existsSync(ignore)) writes.push({ path: ignore, data: STATE_FOLDER_GITIGNORE });
  writeFilesAtomically(writes);
}

function describePlan(plan: DeployPlan, connection: Connection, dryRun: boolean): string {
  const lines: string[] = [];
  const count = plan.levels.reduce((n, l) => n + l.length, 0);
  const endpoint = connection.endpoints.graphEndpoint === connection.endpoints.cloud.graphRoot ? '' : ` via ${connection.endpoints.graphEndpoint}`;
  lines.push(`${dryRun ? 'Plan (dry run, nothing is sent)' : 'Plan'}: ${count} ${count === 1 ? 'policy' : 'policies'} in ${plan.levels.length} level${plan.levels.length === 1 ? '' : 's'} to ${connection.tenant} (${connection.endpoints.cloud.label})${endpoint}`);
  plan.levels.forEach((level, i) => lines.push(`  level ${i + 1}: ${level.map((q) => `${q.policyId} (${q.path})`).join(', ')}`));
  for (const b of plan.assumedBases) {
    const why = b.reason === 'not-in-input' ? 'not among the files' : b.reason === 'unchanged' ? 'unchanged' : 'not selected by --only';
    lines.push(`  assumed in the tenant (${why}): ${b.policyId}, base of ${b.children.join(', ')}`);
  }
  if (plan.unchanged.length) lines.push(`  unchanged since the last deploy, not uploaded: ${plan.unchanged.map((q) => q.policyId).join(', ')}`);
  if (plan.ignored.length) lines.push(`  not policy files, ignored: ${plan.ignored.join(', ')}`);
  if (count === 0) lines.push('  nothing to upload');
  return lines.join('\n') + '\n';
}

interface Reported {
  path: string;
  diagnostics: Diagnostic[];
  policyId?: string;
  status?: DeployFileResult['status'] | 'refused';
  reason?: string;
}

/** A planned or deployed file's findings, as the CLI reports them. */
function reportedOf(r: FileFindings & { policyId?: string; status?: Reported['status']; reason?: string }): Reported {
  return { path: r.path, policyId: r.policyId ?? r.file.policyId, status: r.status, reason: r.reason, diagnostics: diagnosticsOf(r.file, r.findings) };
}

function writeFindings(format: string, reported: Reported[], io: DeployIo): void {
  if (format === 'sarif') {
    io.out(formatSarif(reported));
    return;
  }
  if (format === 'json') {
    const files = reported.map((r) => ({
      path: r.path,
      policyId: r.policyId,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: severityName(d), message: d.message, range: d.range })),
    }));
    io.out(JSON.stringify({ files }) + '\n');
    return;
  }
  if (reported.some((r) => r.diagnostics.length)) io.out(formatText(reported, false));
}

/** `list`. */
export async function runList(args: string[], io: DeployIo, redactor = new Redactor()): Promise<number> {
  const p = parseArguments(args, [...CONNECTION_OPTIONS, '--format'], []);
  if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
  const format = formatOption(p, ['text', 'json']);
  const session = openSession(connectionFrom(p, io.env), io, redactor, io.err);
  await session.signIn();
  const ids = (await listPolicyIds(session.client)).sort();
  io.out(format === 'json' ? JSON.stringify({ policies: ids }) + '\n' : ids.map((id) => id + '\n').join(''));
  return 0;
}

/** `keys`: the tenant's policy keys. */
export async function runKeys(args: string[], io: DeployIo, redactor = new Redactor()): Promise<number> {
  const p = parseArguments(args, [...CONNECTION_OPTIONS, '--format'], []);
  if (p.positional.length) throw new UsageError(`unexpected argument '${p.positional[0]}'`);
  const format = formatOption(p, ['text', 'json']);
  const keys = await tenantPolicyKeys(connectionFrom(p, io.env), io, redactor);
  io.out(format === 'json' ? JSON.stringify({ keys }) + '\n' : keys.map((k) => k + '\n').join(''));
  return 0;
}

/**
 * For `check --tenant-keys`: takes the target options (--tenant, --cloud, --graph-endpoint, --authority-host,
 * --auth) out of `args` and returns the other arguments and a function that fetches the tenant's policy key
 * names (to pass as the policyKeys setting: a StorageReferenceId naming another key is then an error, as the
 * service reports on upload, service-errors.md #12).
 */
export function splitTargetArguments(args: string[], io: DeployIo): { rest: string[]; fetchKeys: () => Promise<string[]> } {
  const rest: string[] = [];
  const target: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = args[i].split('=')[0];
    if (!CONNECTION_OPTIONS.includes(flag)) rest.push(args[i]);
    else if (args[i].includes('=')) target.push(args[i]);
    else target.push(args[i], args[++i] ?? '');
  }
  const redactor = new Redactor();
  const safe: DeployIo = { ...io, err: (s) => io.err(redactor.apply(s)) };
  return { rest, fetchKeys: () => tenantPolicyKeys(connectionFrom(parseArguments(target, CONNECTION_OPTIONS, []), io.env), safe, redactor) };
}

async function tenantPolicyKeys(connection: Connection, io: DeployIo, redactor: Redactor): Promise<string[]> {
  const session = openSession(connection, io, redactor, io.err);
  await session.signIn();
  return (await listKeySetIds(session.client)).sort();
}

/** `get`: downloads policies into a folder, never overwriting without --force. */
export async function runGet(args: string[], io: DeployIo, redactor = new Redactor()): Promise<number> {
  const p = parseArguments(args, [...CONNECTION_OPTIONS, '--out'], ['--force']);
  const outOption = single(p, '--out');
  if (!outOption) throw new UsageError('--out DIR is required');
  const out = path.resolve(io.cwd, outOption);
  const session = openSession(connectionFrom(p, io.env), io, redactor, io.err);
  await session.signIn();
  const inTenant = await listPolicyIds(session.client);
  const wanted = p.positional.length ? p.positional : inTenant;
  const missing = wanted.filter((w) => !inTenant.some((id) => id.toUpperCase() === w.toUpperCase()));
  if (missing.length) throw new UsageError(`not in the tenant: ${missing.join(', ')}`);
  const ids = wanted.map((w) => inTenant.find((id) => id.toUpperCase() === w.toUpperCase())!);
  const unsafe = ids.filter((id) => !/^[A-Za-z0-9_\-.]+$/.test(id) || id.startsWith('.'));
  if (unsafe.length) throw new UsageError(`policy ids that cannot be file names: ${unsafe.join(', ')}`);
  const targets = ids.map((id) => ({ id, file: path.join(out, `${id}.xml`) }));
  // lstat, not exists: a dangling symbolic link is a file in the way too (and must never be written through).
  const existing = targets.filter((t) => fs.lstatSync(t.file, { throwIfNoEntry: false }) !== undefined);
  if (existing.length && !p.flags.has('--force')) {
    throw new UsageError(`${existing.length} file(s) already exist (${existing.map((t) => path.relative(io.cwd, t.file)).join(', ')}); pass --force to overwrite`);
  }
  fs.mkdirSync(out, { recursive: true });
  // Everything is downloaded first, then written all-or-nothing; a rename replaces a link instead of following it.
  const writes = [];
  for (const t of targets) writes.push({ path: t.file, data: await getPolicyXml(session.client, t.id) });
  writeFilesAtomically(writes);
  for (const t of targets) io.out(`${path.relative(io.cwd, t.file)}\n`);
  io.err(`Downloaded ${targets.length} polic${targets.length === 1 ? 'y' : 'ies'} into ${path.relative(io.cwd, out) || '.'}.\n`);
  return 0;
}
