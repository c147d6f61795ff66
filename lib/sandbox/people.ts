/**
 * The cast of the sandbox account, as tables: people (some with non-Latin names), their teams, and
 * the API tokens that act for them or for the account.
 */
import { HOSTILE_TOKEN_NAME } from "./hostile";

/** name | email local part | domain | team. */
export const PEOPLE = `
Alice Moreau|alice.moreau|acme.com|admin
Bilal Haddad|bilal.haddad|acme.com|security
Chen Jing|chen.jing|acme.com|dev
Dana Whitfield|dana.whitfield|acme.com|network
Emeka Okafor|emeka.okafor|acme.com|dev
Frida Lindqvist|frida.lindqvist|acme.com|it
Gustavo Pereira|gustavo.pereira|acme.com|network
Hannah Schmidt|hannah.schmidt|acme.com|security
Ines Duarte|ines.duarte|acme.com|it
Jamal Carter|jamal.carter|acme.com|dev
Kenji Watanabe|kenji.watanabe|acme.com|dev
Lena Novak|lena.novak|acme.com|network
Marcus Bell|marcus.bell|acme.com|admin
Nadia Rahman|nadia.rahman|acme.com|security
Oscar Lindgren|oscar.lindgren|acme.com|dev
Priya Nair|priya.nair|acme.com|it
Quentin Laurent|quentin.laurent|acme.com|network
Rosa Jiménez|rosa.jimenez|acme.com|security
Samuel Adeyemi|samuel.adeyemi|acme.com|dev
Tomás Ó Briain|tomas.obriain|acme.com|it
张伟|zhang.wei|acme.com|dev
Ольга Петрова|olga.petrova|acme.com|network
محمد العلي|mohammed.alali|acme-labs.io|security
佐藤 花子|hanako.sato|acme-labs.io|dev
Łukasz Wójcik|lukasz.wojcik|acme-labs.io|it
Søren Nørgaard|soren.norgaard|acme-labs.io|network
Zoë O'Brien|zoe.obrien|acme-labs.io|dev
Yusuf Demir|yusuf.demir|acme-labs.io|security
Xavier Dubois|xavier.dubois|acme-labs.io|admin
Wiremu Ngata|wiremu.ngata|acme-labs.io|network
Valentina Rossi|valentina.rossi|acme-labs.io|it
Uma Krishnan|uma.krishnan|acme-labs.io|dev
`;

/** The products each team works on. */
export const TEAM_PRODUCTS: Record<string, readonly string[]> = {
  admin: [
    "Access",
    "Gateway",
    "DNS",
    "WAF",
    "Members",
    "API Tokens",
    "Logpush",
    "SSL/TLS",
    "Devices",
    "Tunnels",
  ],
  security: ["Access", "WAF", "SSL/TLS", "Gateway"],
  dev: ["Workers", "DNS"],
  network: ["Gateway", "Tunnels", "Devices", "DNS"],
  it: ["Access", "Devices", "Members"],
};

/**
 * API tokens: name | owner (row of PEOPLE, or `-` for an account-owned token) | products |
 * resource types (`*` = all of those products) | weight | user agent.
 */
export const TOKENS = `
terraform-prod       | 0  | DNS,WAF,Access,Gateway | *                        | 5    | Terraform/1.9.8 terraform-provider-cloudflare/5.4.0
ci-workers-deploy    | -  | Workers                | *                        | 3    | wrangler/4.14.1 (ci)
logpush-automation   | -  | Logpush                | *                        | 0.5  | cloudflare-go/4.2.0
zt-sync              | 1  | Access,Gateway         | Access group,Gateway list | 1.5 | python-requests/2.32.3
cert-manager         | 12 | DNS                    | *                        | 1.5  | cert-manager/v1.16.1
${HOSTILE_TOKEN_NAME} | 28 | DNS                   | *                        | 0.05 | curl/8.7.1
部署令牌 ✨ deploy     | 20 | Workers                | *                        | 0.15 | Cloudflare/JS 7.3.0
`;

export const BROWSERS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
];

export const SCRIPTS = ["curl/8.7.1", "python-requests/2.32.3", "Cloudflare/JS 7.3.0"];
