/**
 * Environments in the editor (issue 12): a templated pack with three environments, the cost of a keystroke and of
 * the debounced diagnostics with every environment's resolved copy checked, against the same files without
 * appsettings.json.
 */
import { PolicyLanguageService } from '../../server/src/service/languageService';
import type { CompiledSchema } from '../../server/src/service/schema';
import { templatedPack } from '../helpers/templatedPack';
import { table, time } from './measure';

/**
 * SocialAndLocalAccounts with its tenant and app ids as {Settings:...} tokens, with and without an
 * appsettings.json of three environments (Dev, Test, Prod). A keystroke is what the server does on each change
 * (the facade's openDocument); the diagnostics are what its debounced publishing does after it (every affected
 * file). With environments, each environment's resolved copy of the affected files is checked too.
 */
export function environmentsInTheEditor(schema: CompiledSchema): void {
  const files = templatedPack('SocialAndLocalAccounts');
  const policies = Object.fromEntries(Object.entries(files).filter(([name]) => name !== 'appsettings.json'));
  const uri = (name: string) => `file:///bench/env/${name}`;
  const load = (set: Record<string, string>) => {
    const service = new PolicyLanguageService({ schema });
    for (const [name, text] of Object.entries(set)) service.setDiskFile(uri(name), text);
    return service;
  };
  const coldAll = (set: Record<string, string>) => {
    const service = load(set);
    for (const name of Object.keys(policies)) service.diagnostics(uri(name));
    return service;
  };
  const retained = (set: Record<string, string>) => {
    if (global.gc) global.gc();
    const before = process.memoryUsage().heapUsed;
    const service = coldAll(set);
    if (global.gc) global.gc();
    const mb = (process.memoryUsage().heapUsed - before) / 1048576;
    void service.policyUris();
    return mb;
  };
  const measure = (set: Record<string, string>) => {
    const service = coldAll(set);
    let n = 0;
    const edited = (name: string, anchor: string) => files[name].replace(anchor, `${anchor}<!-- edit ${++n} -->`);
    const keystroke = time(() => service.openDocument(uri('TrustFrameworkExtensions.xml'), edited('TrustFrameworkExtensions.xml', '<ClaimsProviders>')), 30);
    const publish = (name: string, anchor: string) => () => {
      for (const affected of service.openDocument(uri(name), edited(name, anchor))) service.diagnostics(affected);
    };
    return {
      cold: time(() => coldAll(set), 10),
      keystroke,
      ext: time(publish('TrustFrameworkExtensions.xml', '<ClaimsProviders>'), 30),
      base: time(publish('TrustFrameworkBase.xml', '<ClaimsSchema>'), 30),
      // A token edited: the file's text changes in every environment.
      token: time(() => {
        n++;
        const text = files['TrustFrameworkExtensions.xml'].replace('{Settings:FacebookAppId}', n % 2 ? '{Settings:FacebookAppId}x' : '{Settings:FacebookAppId}');
        for (const affected of service.openDocument(uri('TrustFrameworkExtensions.xml'), text)) service.diagnostics(affected);
      }, 30),
      memory: retained(set),
    };
  };
  const plain = measure(policies);
  const environments = measure(files);
  const row = (what: string, a: number, b: number, digits = 2) => [what, a.toFixed(digits), b.toFixed(digits), (b / a).toFixed(2)];
  console.log('\nEnvironments in the editor: SocialAndLocalAccounts templated, without / with appsettings.json of 3 environments (medians)');
  console.log(
    table(
      ['what', 'without', 'with 3 environments', 'ratio'],
      [
        row('keystroke in Extensions (the change itself), ms', plain.keystroke, environments.keystroke),
        row('edit in Extensions + diagnostics of every affected file, ms', plain.ext, environments.ext),
        row('edit of a token in Extensions + diagnostics, ms', plain.token, environments.token),
        row('edit in Base + diagnostics of every affected file, ms', plain.base, environments.base),
        row('cold: load + diagnostics of all 6 files, ms', plain.cold, environments.cold),
        row('heap retained after cold load, MB', plain.memory, environments.memory, 1),
      ],
    ),
  );
}
