/** Defaults of the sandbox, the in-repo imitation of Cloudflare's audit-log endpoints. */
export const SANDBOX_ACCOUNT_ID = "5a9d2e4b7c1f4a3e8b6d0c2f9e1a7b3c";
export const SANDBOX_TOKEN = "sandbox-token";
export const SANDBOX_PORT = 8787;
export const SANDBOX_SIZE = 50_000;
export const SANDBOX_SEED = 1;
