/**
 * A starter pack as a templated workspace, in memory: the placeholder tenant and the app ids turned into
 * `{Settings:...}` tokens, and an appsettings.json with three environments that define them (for the editor's
 * environment conformance test and the benchmark).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS_DIR, readText } from './corpus';

export const TEMPLATED_ENVIRONMENTS = [
  {
    Name: 'Dev',
    Tenant: 'contosodev.onmicrosoft.com',
    PolicySettings: { ProxyIdentityExperienceFrameworkAppId: '11111111-aaaa-4000-8000-000000000001', IdentityExperienceFrameworkAppId: '22222222-aaaa-4000-8000-000000000002', FacebookAppId: '1000000000000001' },
  },
  {
    Name: 'Test',
    Tenant: 'contosotest.onmicrosoft.com',
    PolicySettings: { ProxyIdentityExperienceFrameworkAppId: '11111111-bbbb-4000-8000-000000000001', IdentityExperienceFrameworkAppId: '22222222-bbbb-4000-8000-000000000002', FacebookAppId: '1000000000000002' },
  },
  {
    Name: 'Prod',
    Production: true,
    Tenant: 'contoso.onmicrosoft.com',
    PolicySettings: { ProxyIdentityExperienceFrameworkAppId: '11111111-cccc-4000-8000-000000000001', IdentityExperienceFrameworkAppId: '22222222-cccc-4000-8000-000000000002', FacebookAppId: '1000000000000003' },
  },
];

/** The text of a starter-pack file with its placeholders turned into tokens. */
export function templated(text: string): string {
  return text
    .split('yourtenant.onmicrosoft.com')
    .join('{Settings:Tenant}')
    .replace(/\bProxyIdentityExperienceFrameworkAppId\b/g, '{Settings:ProxyIdentityExperienceFrameworkAppId}')
    .replace(/(?<![\w:])IdentityExperienceFrameworkAppId\b/g, '{Settings:IdentityExperienceFrameworkAppId}')
    .replace(/\bfacebook_clientid\b/g, '{Settings:FacebookAppId}');
}

/** A pack's files by name (as the editor reads them), templated, plus appsettings.json. */
export function templatedPack(pack: string, environments: unknown[] = TEMPLATED_ENVIRONMENTS): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(CORPUS_DIR, pack)).filter((f) => f.endsWith('.xml')).sort()) files[name] = templated(readText(path.join(CORPUS_DIR, pack, name)));
  files['appsettings.json'] = JSON.stringify({ Environments: environments }, null, 2);
  return files;
}
