import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** The application audience the browser tests' Access tokens carry. */
export const E2E_ACCESS_AUD = "e2e0000000000000000000000000000000000000000000000000000000000aud";

export interface E2eAccessIssuer {
  origin: string;
  /** An Access application token for this email, valid for ten minutes. */
  sign(email: string): Promise<string>;
  close(): Promise<void>;
}

/** A Cloudflare Access team on loopback: `/cdn-cgi/access/certs` publishes one key that signs the tokens. */
export async function startE2eAccessIssuer(): Promise<E2eAccessIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "e2e", alg: "RS256", use: "sig" };
  const server = createServer((req, res) => {
    if (req.url !== "/cdn-cgi/access/certs") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    sign: (email) =>
      new SignJWT({ type: "app", email, sub: email })
        .setProtectedHeader({ alg: "RS256", kid: "e2e" })
        .setIssuer(origin)
        .setAudience([E2E_ACCESS_AUD])
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
