/** Policy texts for tests: the root element with the usual attributes, an optional BasePolicy, a body. */
export const POLICY_NAMESPACE = 'http://schemas.microsoft.com/online/cpim/schemas/2013/06';

/** With an XML declaration and an indented BasePolicy, as the starter pack writes them. */
export function policy(id: string, body: string, base?: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="yourtenant.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://yourtenant.onmicrosoft.com/${id}">
${base ? `  <BasePolicy>\n    <TenantId>yourtenant.onmicrosoft.com</TenantId>\n    <PolicyId>${base}</PolicyId>\n  </BasePolicy>\n` : ''}${body}
</TrustFrameworkPolicy>
`;
}

/** `policy` with a real tenant name: the starter pack's placeholder tenant is a finding of its own (placeholder-tenant). */
export function contosoPolicy(...args: Parameters<typeof policy>): string {
  return policy(...args).replace(/yourtenant/g, 'contoso');
}

/** A compact form (no declaration, one-line BasePolicy). */
export function compactPolicy(id: string, body: string, base?: string): string {
  return (
    `<TrustFrameworkPolicy xmlns="${POLICY_NAMESPACE}" PolicySchemaVersion="0.3.0.0" TenantId="t.onmicrosoft.com" PolicyId="${id}" PublicPolicyUri="http://t/${id}">\n` +
    (base ? `  <BasePolicy><TenantId>t.onmicrosoft.com</TenantId><PolicyId>${base}</PolicyId></BasePolicy>\n` : '') +
    body +
    '\n</TrustFrameworkPolicy>'
  );
}

/** A ContentDefinitions element (4-space indented) with the self-asserted page that self-asserted profiles name. */
export const SELF_ASSERTED_CONTENT_DEFINITIONS = `    <ContentDefinitions>
      <ContentDefinition Id="api.selfasserted">
        <LoadUri>~/tenant/templates/AzureBlue/selfAsserted.cshtml</LoadUri>
        <DataUri>urn:com:microsoft:aad:b2c:elements:contract:selfasserted:2.1.7</DataUri>
      </ContentDefinition>
    </ContentDefinitions>`;
