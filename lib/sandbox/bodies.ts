/**
 * Request bodies of the logged API calls, shaped like the real Cloudflare API's for each resource
 * type. `h` varies the values between versions of a resource, so updates differ from each other.
 */
import type { BodyKind } from "./products";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface BodyContext {
  kind: BodyKind;
  name: string;
  zoneName: string;
  singletonId: string;
  h: number;
}

const of = <T>(values: readonly T[], h: number, shift = 0): T => values[(h >>> shift) % values.length];
const flag = (h: number, bit: number) => ((h >>> bit) & 1) === 1;
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

function settings(id: string, h: number): JsonObject {
  if (id === "ssl") return { value: of(["off", "flexible", "full", "strict"], h) };
  if (id === "organization")
    return {
      auth_domain: "acme.cloudflareaccess.com",
      session_duration: of(["24h", "12h", "8h"], h),
      is_ui_read_only: flag(h, 3),
    };
  if (id === "configuration")
    return {
      settings: {
        activity_log: { enabled: flag(h, 1) },
        tls_decrypt: { enabled: flag(h, 2) },
        antivirus: { enabled_download_phase: flag(h, 4) },
      },
    };
  return {
    gateway_proxy_enabled: flag(h, 1),
    gateway_udp_proxy_enabled: flag(h, 2),
    root_certificate_installation_enabled: flag(h, 5),
  };
}

/** The request body of a create or update. */
export function requestBody(c: BodyContext): JsonObject {
  const { name, h, zoneName } = c;
  switch (c.kind) {
    case "app":
      return {
        name,
        domain: `${slug(name)}.acme.com`,
        type: "self_hosted",
        session_duration: of(["24h", "12h", "30m"], h),
        app_launcher_visible: flag(h, 4),
      };
    case "policy":
      return {
        name,
        decision: of(["allow", "deny", "bypass", "non_identity"], h),
        include: [{ email_domain: { domain: "acme.com" } }],
        require: flag(h, 5) ? [{ auth_method: { auth_method: "mfa" } }] : [],
      };
    case "group":
      return {
        name,
        include: [{ email_domain: { domain: of(["acme.com", "acme-labs.io"], h) } }],
        exclude: [],
      };
    case "serviceToken":
      return { name, duration: of(["8760h", "720h", "forever"], h) };
    case "idp":
      return {
        name,
        type: of(["okta", "azureAD", "github", "google-apps"], h),
        config: { client_id: (h >>> 0).toString(16), claims: ["email", "groups"] },
      };
    case "settings":
      return settings(c.singletonId, h);
    case "gatewayRule":
      return {
        name,
        action: of(["block", "allow", "isolate"], h),
        enabled: !flag(h, 6),
        precedence: (h % 500) * 10,
        traffic: `any(dns.content_category[*] in {${(h % 180) + 1}})`,
      };
    case "list":
      return {
        name,
        type: of(["DOMAIN", "IP", "SERIAL"], h),
        append: [{ value: of(["example.net", "203.0.113.7", "C02XK1ZZJG5H"], h, 3) }],
      };
    case "location":
      return {
        name,
        client_default: false,
        ecs_support: flag(h, 2),
        networks: [{ network: of(["203.0.113.0/24", "198.51.100.0/24"], h) }],
      };
    case "tunnel":
      return { name, config_src: "cloudflare", tunnel_secret: "***" };
    case "route":
      return { network: name, comment: of(["office", "datacenter", "lab"], h), virtual_network_id: null };
    case "deviceProfile":
      return {
        name,
        match: `identity.email == "${of(["ops", "it", "exec"], h)}@acme.com"`,
        precedence: h % 1000,
        enabled: !flag(h, 7),
      };
    case "posture":
      return {
        name,
        type: of(["disk_encryption", "os_version", "firewall", "crowdstrike_s2s"], h),
        input: { requireAll: flag(h, 3) },
      };
    case "dns": {
      const type = of(["A", "AAAA", "CNAME", "TXT"], h);
      const content =
        {
          A: "203.0.113.10",
          AAAA: "2001:db8::10",
          CNAME: `lb.${zoneName}`,
          TXT: `"v=spf1 include:_spf.${zoneName} ~all"`,
        }[type] ?? "";
      return {
        type,
        name: `${name}.${zoneName}`,
        content,
        ttl: of([1, 300, 3600], h, 5),
        proxied: type !== "TXT" && flag(h, 8),
      };
    }
    case "firewallRule":
      return {
        description: name,
        expression: of(
          [
            '(http.request.uri.path contains "/wp-login")',
            '(ip.geoip.country in {"XX"})',
            "(cf.threat_score gt 40)",
          ],
          h,
        ),
        action: of(["block", "managed_challenge", "log"], h, 4),
        enabled: !flag(h, 2),
      };
    case "ruleset":
      return {
        rules: [
          {
            action: "execute",
            expression: "true",
            action_parameters: {
              id: (h >>> 0).toString(16),
              overrides: { sensitivity_level: of(["default", "medium", "low"], h) },
            },
          },
        ],
      };
    case "certificate":
      return {
        type: "advanced",
        hosts: [zoneName, `*.${zoneName}`],
        validation_method: "txt",
        validity_days: 90,
        certificate_authority: of(["lets_encrypt", "google"], h),
      };
    case "script":
      return {
        metadata: {
          main_module: "index.js",
          compatibility_date: of(["2026-09-01", "2026-10-15"], h),
          bindings: [{ type: "kv_namespace", name: "CACHE" }],
        },
      };
    case "workerRoute":
      return { pattern: `${zoneName}${name}`, script: of(["edge-router", "auth-proxy", "image-resizer"], h) };
    case "kv":
      return { title: name };
    case "member":
      return {
        email: `${of(["new.hire", "contractor", "auditor"], h)}${h % 90}@acme.com`,
        roles: [of(["Administrator", "Zero Trust", "DNS"], h, 2)],
        status: of(["pending", "accepted"], h, 6),
      };
    case "role":
      return { name, permissions: { dns: { read: true, edit: flag(h, 1) }, analytics: { read: true } } };
    case "token":
      return {
        name,
        policies: [
          {
            effect: "allow",
            permission_groups: [{ name: of(["DNS Write", "Zone Read", "Workers Scripts Write"], h) }],
          },
        ],
        expires_on: null,
      };
    case "logpush":
      return {
        name,
        dataset: of(["audit_logs_v2", "gateway_http", "http_requests"], h),
        destination_conf: "r2://logs/{DATE}",
        enabled: !flag(h, 9),
      };
  }
}
