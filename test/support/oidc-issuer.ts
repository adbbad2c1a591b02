import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/**
 * A stand-in for Google as an OIDC issuer, for tests: an RSA key pair, ID tokens signed with
 * it the way Google signs them (RS256, `kid` header), and a loopback HTTP server publishing the
 * public key where google-auth-library fetches certificates (OIDC_CERTS_URL). The library's
 * own verification code then runs unchanged, over real HTTP.
 */
export interface OidcIssuer {
  certsUrl: string;
  token(claims: Record<string, unknown>, options?: { kid?: string; key?: KeyObject }): string;
  close(): Promise<void>;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';

export async function startOidcIssuer(): Promise<OidcIssuer> {
  const kid = 'test-key-1';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certs = JSON.stringify({ [kid]: publicKey.export({ type: 'spki', format: 'pem' }) });
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=600' });
    res.end(certs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return {
    certsUrl: `http://127.0.0.1:${address.port}/oauth2/v1/certs`,
    token(claims, options = {}) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? kid };
      const payload = { iss: GOOGLE_ISSUER, iat: nowSeconds, exp: nowSeconds + 3600, sub: '1234567890', ...claims };
      const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
      return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), options.key ?? privateKey).toString('base64url')}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
