/**
 * The products and resource types of the sandbox account, with the URIs and methods Cloudflare's API
 * uses for them, and the product categories of `logs/audit/product_categories`.
 */

export type Scope = "accounts" | "zones" | "user" | "memberships";
/** How a resource's id looks; `singleton` resources (settings) have no id in their URI. */
export type IdKind = "uuid" | "hex32" | "name" | "int" | "singleton";

export interface ResourceTypeDef {
  product: string;
  type: string;
  scope: Scope;
  /** Collection path below the scope's prefix (`/accounts/{id}/`, `/zones/{id}/`, `/user/`, `/`). */
  path: string;
  idKind: IdKind;
  /** Method of an update. */
  update: "PUT" | "PATCH";
  deletable: boolean;
  /** Relative frequency among all events. */
  weight: number;
  /** Names the resources of this type are given. */
  names: readonly string[];
  /** The shape of request bodies (see bodies.ts). */
  body: BodyKind;
  /** Responses of this type are JSON arrays rather than objects. */
  arrayResponse?: boolean;
  /** Singleton id (settings name). */
  singletonId?: string;
}

// prettier-ignore
export type BodyKind =
  | "app" | "policy" | "group" | "serviceToken" | "idp" | "settings" | "gatewayRule" | "list" | "location"
  | "tunnel" | "route" | "deviceProfile" | "posture" | "dns" | "firewallRule" | "ruleset" | "certificate"
  | "script" | "workerRoute" | "kv" | "member" | "role" | "token" | "logpush";

/** Names given to the resources of each body kind. */
const NAMES = parseNames(`
app: Grafana; Jira; Internal wiki; GitLab; Kibana; Payroll; Admin portal; Jenkins; Metabase
policy: Allow engineering; Allow contractors; Block legacy; Require MFA; Allow finance; Bypass health
group: Engineering; Finance; Contractors; SRE on-call; Security team; Support
serviceToken: ci-runner; monitoring; backup-agent; partner-sync
idp: Okta; Azure AD; GitHub; Google Workspace
gatewayRule: Block malware; Block gambling; Allow updates; Isolate news; Block P2P; DNS safe search
list: Blocked domains; Allowed SaaS; Office IPs; Serial numbers
location: Berlin office; Austin office; Singapore office
tunnel: dc1-k8s; office-berlin; aws-eu-west; lab
route: 10.0.0.0/8; 172.16.0.0/12; 192.168.40.0/24
deviceProfile: Default; Contractors; Executives; Kiosk
posture: Disk encryption; OS version; Firewall on; CrowdStrike
dns: api; www; mail; status; cdn; app; auth; docs; shop; vpn; git; grafana
firewallRule: Block bad bots; Rate limit login; Geo block; Challenge admin; Block SQLi probes
ruleset: Cloudflare Managed Ruleset; OWASP Core Ruleset
certificate: Universal; Advanced
script: auth-proxy; image-resizer; edge-router; ab-testing; geo-redirect; csp-reporter
workerRoute: /api/*; /img/*; /*
kv: SESSIONS; FLAGS; CACHE; CONFIG
member: member
role: Auditor; DNS editor; Zero Trust admin
token: Edit zone DNS; Read analytics; Workers deploy; Terraform
logpush: audit-to-r2; gateway-to-splunk; http-to-s3
settings: settings
`);

function parseNames(table: string): Record<string, readonly string[]> {
  return Object.fromEntries(
    table
      .trim()
      .split("\n")
      .map((line) => {
        const colon = line.indexOf(":");
        return [
          line.slice(0, colon),
          line
            .slice(colon + 1)
            .split(";")
            .map((name) => name.trim()),
        ];
      }),
  );
}

/**
 * product | type | scope | collection path | id kind (singleton:<id>) | update method | deletable |
 * weight | body kind | array response. The order is part of the dataset (type indexes are stored).
 */
const TABLE = `
Access     | Access application     | accounts    | access/apps               | uuid                   | PUT   | y | 9  | app           | n
Access     | Access policy          | accounts    | access/policies           | uuid                   | PUT   | y | 8  | policy        | n
Access     | Access group           | accounts    | access/groups             | uuid                   | PUT   | y | 4  | group         | n
Access     | Access service token   | accounts    | access/service_tokens     | uuid                   | PUT   | y | 2  | serviceToken  | n
Access     | Identity provider      | accounts    | access/identity_providers | uuid                   | PUT   | y | 1  | idp           | n
Access     | Access organization    | accounts    | access/organizations      | singleton:organization | PUT   | n | 1  | settings      | n
Gateway    | Gateway DNS policy     | accounts    | gateway/rules             | uuid                   | PUT   | y | 7  | gatewayRule   | n
Gateway    | Gateway HTTP policy    | accounts    | gateway/rules             | uuid                   | PUT   | y | 6  | gatewayRule   | n
Gateway    | Gateway network policy | accounts    | gateway/rules             | uuid                   | PUT   | y | 3  | gatewayRule   | n
Gateway    | Gateway list           | accounts    | gateway/lists             | uuid                   | PATCH | y | 5  | list          | y
Gateway    | Gateway location       | accounts    | gateway/locations         | uuid                   | PUT   | y | 1  | location      | n
Gateway    | Gateway configuration  | accounts    | gateway/configuration     | singleton:configuration| PATCH | n | 1  | settings      | n
Tunnels    | Cloudflare Tunnel      | accounts    | cfd_tunnel                | uuid                   | PATCH | y | 3  | tunnel        | n
Tunnels    | Tunnel route           | accounts    | teamnet/routes            | uuid                   | PATCH | y | 2  | route         | n
Devices    | Device settings profile| accounts    | devices/policy            | uuid                   | PATCH | y | 3  | deviceProfile | n
Devices    | Device posture rule    | accounts    | devices/posture           | uuid                   | PUT   | y | 2  | posture       | n
Devices    | Device settings        | accounts    | devices/settings          | singleton:settings     | PUT   | n | 1  | settings      | n
DNS        | DNS record             | zones       | dns_records               | hex32                  | PATCH | y | 12 | dns           | n
WAF        | Custom rule            | zones       | rulesets/phases/http_request_firewall_custom/entrypoint/rules | hex32 | PATCH | y | 4 | firewallRule | n
WAF        | Managed ruleset        | zones       | rulesets                  | hex32                  | PUT   | n | 2  | ruleset       | y
SSL/TLS    | SSL setting            | zones       | settings/ssl              | singleton:ssl          | PATCH | n | 1  | settings      | n
SSL/TLS    | Certificate pack       | zones       | ssl/certificate_packs     | uuid                   | PATCH | y | 2  | certificate   | n
Workers    | Worker script          | accounts    | workers/scripts           | name                   | PUT   | y | 6  | script        | n
Workers    | Worker route           | zones       | workers/routes            | hex32                  | PUT   | y | 2  | workerRoute   | n
Workers    | KV namespace           | accounts    | storage/kv/namespaces     | hex32                  | PUT   | y | 2  | kv            | n
Members    | Member                 | accounts    | members                   | hex32                  | PUT   | y | 3  | member        | n
Members    | Role                   | accounts    | roles                     | hex32                  | PUT   | y | 1  | role          | n
Members    | Membership             | memberships | memberships               | hex32                  | PUT   | y | 1  | member        | n
API Tokens | API token              | user        | tokens                    | hex32                  | PUT   | y | 2  | token         | n
Logpush    | Logpush job            | accounts    | logpush/jobs              | int                    | PUT   | y | 2  | logpush       | n
`;

function parseTable(table: string): ResourceTypeDef[] {
  return table
    .trim()
    .split("\n")
    .map((line) => {
      const [product, type, scope, path, id, update, del, weight, body, array] = line
        .split("|")
        .map((c) => c.trim());
      const [idKind, singletonId] = id.split(":");
      return {
        product,
        type,
        scope: scope as Scope,
        path,
        idKind: idKind as IdKind,
        update: update as "PUT" | "PATCH",
        deletable: del === "y",
        weight: Number(weight),
        names: NAMES[body],
        body: body as BodyKind,
        arrayResponse: array === "y",
        singletonId,
      };
    });
}

/** All resource types of the sandbox account. */
export const RESOURCE_TYPES: readonly ResourceTypeDef[] = parseTable(TABLE);

export interface ProductCategory {
  value: string;
  label: string;
  products: { value: string; label: string }[];
}

const product = (value: string) => ({ value, label: value });

/** The sandbox's answer to `logs/audit/product_categories` (Cloudflare does not publish the real list). */
export const PRODUCT_CATEGORIES: readonly ProductCategory[] = [
  {
    value: "zerotrust",
    label: "Zero Trust",
    products: ["Access", "Gateway", "Tunnels", "Devices"].map(product),
  },
  { value: "dns", label: "DNS", products: [product("DNS")] },
  { value: "security", label: "Application Security", products: ["WAF", "SSL/TLS"].map(product) },
  { value: "developer", label: "Developer Platform", products: [product("Workers")] },
  { value: "account", label: "Account Management", products: ["Members", "API Tokens"].map(product) },
  { value: "logs", label: "Analytics & Logs", products: [product("Logpush")] },
];
