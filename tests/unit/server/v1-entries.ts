/**
 * v1 `audit_logs` entries in the forms Cloudflare sends them (written for these tests, not copied):
 * v1 verbs, `action.info`, a system actor (`id: "1"`, no email, no IP), `when` with microseconds,
 * `interface` as `""` or `"UI"`, values as `""`, `"null"` or JSON text next to decoded objects.
 */
export const V1_OWNER = "7c5dae5552338874e5053f2534d2767a";
export const V1_USER = "9a7806061c88ada191ed06f989cc3dac";

export const V1_ENTRIES = [
  {
    action: {
      info: "key digest: 4f1c0e9b2a7d6c5b8e3f0a1d2c4b6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d",
      result: true,
      type: "token_roll",
    },
    actor: { email: "dana@acme.example", id: V1_USER, ip: "198.51.100.23", type: "user" },
    id: "3b0f3c1e-8a4d-4f7e-9c2b-5d6e7f8a9b0c",
    interface: "",
    metadata: { token_name: "Terraform CI", token_tag: "0f9e8d7c6b5a49382716050403020100" },
    newValue: "",
    oldValue: "",
    owner: { id: V1_USER },
    resource: { id: V1_USER, type: "account" },
    when: "2026-11-20T09:15:02Z",
  },
  {
    action: { result: true, type: "tls_settings_deployed" },
    actor: { id: "1", type: "system" },
    id: "5c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f",
    interface: "",
    metadata: { zone_name: "acme.example" },
    newValue: "",
    newValueJson: { http_2: "Enabled", min_tls_version: "TLSv1.2", tls_13: "on", zero_rtt: "Default" },
    oldValue: "",
    owner: { id: V1_OWNER },
    resource: { id: "d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6", type: "zone" },
    when: "2026-11-20T08:00:41.503227Z",
  },
  {
    action: { result: true, type: "rec_del" },
    actor: { email: "dana@acme.example", id: V1_USER, ip: "2001:db8:4a::17", type: "user" },
    id: "7e8f9a0b-2c3d-4e5f-a6b7-c8d9e0f1a2b3",
    interface: "UI",
    metadata: { zone_name: "acme.example" },
    newValue: "null",
    oldValue: "null",
    oldValueJson: {
      content: "v=spf1 include:_spf.acme.example -all",
      name: "acme.example",
      proxied: false,
      ttl: 1,
      type: "TXT",
    },
    owner: { id: V1_OWNER },
    resource: { id: "20931847561", type: "DNS_record" },
    when: "2026-11-19T17:42:10.008117Z",
  },
  {
    action: { result: true, type: "change_setting" },
    actor: {
      email: "lee@acme.example",
      id: "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
      ip: "203.0.113.40",
      type: "user",
    },
    id: "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
    interface: "UI",
    metadata: { name: "security_level", type: "firewall", value: "low", zone_name: "acme.example" },
    newValue: '"low"',
    oldValue: '"high"',
    owner: { id: V1_OWNER },
    resource: { id: "d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6", type: "zone" },
    when: "2026-11-19T11:03:55Z",
  },
  {
    action: { result: false, type: "purge" },
    actor: {
      email: "lee@acme.example",
      id: "c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8",
      ip: "203.0.113.40",
      type: "user",
    },
    id: "b1c2d3e4-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
    interface: "",
    metadata: { zone_name: "acme.example" },
    newValue: '{"files":["https://acme.example/app.css","https://acme.example/a,b \\"q\\".js"]}',
    oldValue: "",
    owner: { id: V1_OWNER },
    resource: { id: "d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6", type: "zone" },
    when: "2026-11-18T22:30:00Z",
  },
  {
    action: { result: true, type: "login" },
    actor: {
      email: "ops@acme.example",
      id: "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
      ip: "198.51.100.99",
      type: "admin",
    },
    id: "d3e4f5a6-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
    interface: "",
    metadata: {},
    newValue: "",
    oldValue: "",
    owner: { id: "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0" },
    resource: { id: "e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0", type: "user" },
    when: "2026-11-18T07:12:45Z",
  },
];

/** A v1 page envelope as Cloudflare sends it. */
export function v1Body(result: unknown[], info: Record<string, unknown> | null = {}) {
  return { errors: [], messages: [], result, success: true, ...(info ? { result_info: info } : {}) };
}
