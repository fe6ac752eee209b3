// Test peer: the Microsoft identity platform (Entra ID) as far as the Email plugin uses it.
//
// The OAuth2 protocol itself (token endpoint, authorization endpoint with PKCE S256, JWT
// signing, introspection) is oauth2-mock-server's. This file adds what makes it Entra-shaped:
//   - paths /{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/v2.0/authorize; unknown tenant ->
//     AADSTS90002;
//   - a directory (directory.json) of clients and users, checked on every grant, with Entra's
//     documented error bodies: {error, error_description "AADSTSnnnnn: ...", error_codes, ...}
//     (https://learn.microsoft.com/entra/identity-platform/reference-error-codes);
//   - PKCE required for the authorization code, redirect URIs limited to http://localhost;
//   - refresh tokens bound to user and client, rotated on use (the old one stops working);
//   - client secrets and certificate credentials (a signed client assertion checked with jose
//     against the certificate given by --app-cert) for confidential clients;
//   - users whose tokens introspection calls inactive (revoked after issue), so resource
//     servers refuse them;
//   - /introspect (RFC 7662) that knows the tokens it issued, for Dovecot's oauth2 passdb and
//     the EWS test server: {active, username, aud, scp/roles, ...}.
//
// Usage: node identity-server.mjs --port P --cert CERT.pem --key KEY.pem --ready FILE [--app-cert APP.pem]
// Writes FILE once listening. Logs one line per request to stdout (never a secret).
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';
import { decodeProtectedHeader, errors as joseErrors, importX509, jwtVerify } from 'jose';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) =>
    (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const directory = JSON.parse(readFileSync(new URL('./directory.json', import.meta.url)));
// User principal names are case-insensitive in Entra ID.
directory.users = Object.fromEntries(Object.entries(directory.users).map(([name, user]) => [name.toLowerCase(), user]));
const userNamed = (name) => directory.users[String(name ?? '').toLowerCase()];
const port = Number(args.port);
// The certificate registered for the certificate clients (their "Certificates & secrets"): its
// SHA-256 and SHA-1 thumbprints, as Entra matches the assertion's x5t#S256 or x5t header.
const appCertificate = args['app-cert'] && readFileSync(args['app-cert'], 'utf8');
const appThumbprints = appCertificate && (() => {
  const der = new X509Certificate(appCertificate).raw;
  return {'x5t#S256': createHash('sha256').update(der).digest('base64url'),
          x5t: createHash('sha1').update(der).digest('base64url')};
})();

const issuer = new OAuth2Issuer();
issuer.url = `https://localhost:${port}/${directory.tenant}/v2.0`;
await issuer.keys.generate('RS256');
const service = new OAuth2Service(issuer);

const issuedAccess = new Map();   // access token -> claims
const refreshTokens = new Map();  // refresh token -> {user, client, scope}
const codes = new Map();          // authorization code -> {user, client, redirect_uri, scope}

function entraError(status, error, code, description) {
  const now = new Date().toISOString().replace('T', ' ').replace(/\..*/, 'Z');
  return {
    statusCode: status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\n` +
        `Correlation ID: ${randomUUID()}\r\nTimestamp: ${now}`,
      error_codes: [code],
      timestamp: now,
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

// The audience Entra puts in a token for "https://resource/Scope.Name" or ".../.default".
function audienceOf(scope) {
  for (const item of String(scope ?? '').split(' '))
    if (item.startsWith('https://')) return new URL(item).origin;
  return undefined;
}

function delegatedScopes(scope) {
  return String(scope ?? '').split(' ').filter((s) => s.startsWith('https://'))
    .map((s) => s.slice(s.lastIndexOf('/') + 1)).join(' ');
}

// A certificate credential (Microsoft's "certificate credentials" reference; RFC 7523 2.2):
// the assertion's x5t#S256 (or x5t) must name the registered certificate, its signature verify
// with it (PS256 or RS256), aud be this token endpoint, iss and sub the client id, and nbf..exp
// hold now. jose does the JWS and claim checks. Returns an error or undefined.
async function checkAssertion(body, client, tokenUrls) {
  if (body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    return entraError(400, 'invalid_request', 50027,
      `Invalid client_assertion_type '${body.client_assertion_type}'; expected urn:ietf:params:oauth:client-assertion-type:jwt-bearer.`);
  let header;
  try { header = decodeProtectedHeader(body.client_assertion); } catch {
    return entraError(401, 'invalid_client', 50027, 'Invalid JWT token. The token is malformed.');
  }
  const registered = directory.certificate_clients?.includes(client) && appThumbprints;
  if (!registered || !(header['x5t#S256'] === appThumbprints['x5t#S256'] || header.x5t === appThumbprints.x5t))
    return entraError(401, 'invalid_client', 700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${header['x5t#S256'] ?? header.x5t}']`);
  try {
    const key = await importX509(appCertificate, header.alg === 'RS256' ? 'RS256' : 'PS256');
    await jwtVerify(body.client_assertion, key, {algorithms: ['PS256', 'RS256'], audience: tokenUrls,
                                                  issuer: client, subject: client, requiredClaims: ['jti', 'exp', 'nbf']});
  } catch (failure) {
    if (failure instanceof joseErrors.JWTExpired ||
        (failure instanceof joseErrors.JWTClaimValidationFailed && failure.claim === 'nbf'))
      return entraError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');
    if (failure instanceof joseErrors.JWTClaimValidationFailed && failure.claim === 'aud')
      return entraError(401, 'invalid_client', 700023, 'Client assertion audience claim does not match Realm issuer.');
    if (failure instanceof joseErrors.JWTClaimValidationFailed && (failure.claim === 'iss' || failure.claim === 'sub'))
      return entraError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
    return entraError(401, 'invalid_client', 700027, `Client assertion failed signature validation. (${failure.code ?? failure.message})`);
  }
  return undefined;
}

// Every grant is checked here, before the mock signs anything; returns an error or the user.
async function checkGrant(req, tenant) {
  const body = req.body ?? {};
  const client = body.client_id;
  const secret = directory.confidential_clients[client];
  const confidential = secret !== undefined || directory.certificate_clients?.includes(client);
  if (!directory.public_clients.includes(client) && !confidential)
    return {error: entraError(400, 'unauthorized_client', 700016,
      `Application with identifier '${client}' was not found in the directory '${directory.tenant_domain}'.`)};
  if (body.client_assertion !== undefined || body.client_assertion_type !== undefined) {
    const tokenUrls = [directory.tenant, directory.tenant_domain].map(
      (name) => `https://localhost:${port}/${name}/oauth2/v2.0/token`);
    const error = await checkAssertion(body, client, tokenUrls);
    if (error) return {error};
  } else if (confidential && body.client_secret !== secret) {
    return {error: entraError(401, 'invalid_client', body.client_secret === undefined ? 7000218 : 7000215,
      body.client_secret === undefined
        ? "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
        : 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.')};
  }
  if (!audienceOf(body.scope) && body.grant_type !== 'refresh_token')
    return {error: entraError(400, 'invalid_scope', 70011,
      `The provided request must include a 'scope' input parameter naming a resource.`)};
  switch (body.grant_type) {
    case 'client_credentials':
      if (!confidential)
        return {error: entraError(401, 'invalid_client', 7000218,
          "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")};
      if (!String(body.scope).endsWith('/.default'))
        return {error: entraError(400, 'invalid_scope', 1002012,
          'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.')};
      return {user: undefined, app: client};
    case 'password': {
      const user = userNamed(body.username);
      if (!user || user.password !== body.password)
        return {error: entraError(400, 'invalid_grant', 50126,
          'Error validating credentials due to invalid username or password.')};
      if (user.requires === 'mfa')
        return {error: entraError(400, 'invalid_grant', 50076,
          "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.")};
      if (user.requires === 'consent')
        return {error: entraError(400, 'invalid_grant', 65001,
          `The user or administrator has not consented to use the application with ID '${client}'. Send an interactive authorization request for this user and resource.`)};
      return {user: String(body.username).toLowerCase()};
    }
    case 'authorization_code': {
      const grant = codes.get(body.code);
      codes.delete(body.code);
      if (!grant || grant.client !== client || grant.redirect_uri !== body.redirect_uri)
        return {error: entraError(400, 'invalid_grant', 70000,
          'The provided authorization code or refresh token has expired due to inactivity or is otherwise invalid.')};
      if (!body.code_verifier)
        return {error: entraError(400, 'invalid_grant', 501491,
          "Invalid size of Code_Verifier parameter: PKCE is required for this client.")};
      return {user: grant.user};
    }
    case 'refresh_token': {
      const grant = refreshTokens.get(body.refresh_token);
      if (!grant || grant.client !== client)
        return {error: entraError(400, 'invalid_grant', 700082,
          'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90.00:00:00.')};
      refreshTokens.delete(body.refresh_token);  // rotated: only the new one works from now on
      return {user: grant.user, scope: body.scope ?? grant.scope};
    }
    default:
      return {error: entraError(400, 'unsupported_grant_type', 70003,
        `The app requested an unsupported grant type '${body.grant_type}'.`)};
  }
}

service.on('beforeTokenSigning', (token, req) => {
  const verdict = req.entra;
  if (!verdict || verdict.error || !req.body || req.body.grant_type === undefined) return;
  const scope = verdict.scope ?? req.body.scope;
  Object.assign(token.payload, {
    aud: audienceOf(scope) ?? token.payload.aud,
    tid: directory.tenant,
    appid: req.body.client_id,
    // Entra's token identifier, unique per token (its documents: the `uti` claim, JWT's `jti`):
    // two tokens issued in the same second are not the same string.
    uti: randomBytes(16).toString('base64url'),
  });
  if (verdict.user) Object.assign(token.payload, {sub: verdict.user, upn: verdict.user,
                                                  preferred_username: verdict.user,
                                                  scp: delegatedScopes(scope)});
  // App-only: the application permissions the admin granted this app for that resource
  // (directory.app_roles: EWS's full_access_as_app, Graph's Mail.ReadWrite), and Entra's
  // optional claim idtyp "app". An app granted nothing gets a token with no roles.
  else Object.assign(token.payload, {idtyp: 'app',
                                     roles: directory.app_roles?.[req.body.client_id]?.[
                                       token.payload.aud === 'https://graph.microsoft.com'
                                         ? 'Microsoft Graph' : 'Office 365 Exchange Online'] ?? []});
});

service.on('beforeResponse', (response, req) => {
  const verdict = req.entra;
  if (verdict.error) {
    response.statusCode = verdict.error.statusCode;
    response.body = verdict.error.body;
    return;
  }
  const body = response.body;
  delete body.id_token;
  const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url'));
  issuedAccess.set(body.access_token, claims);
  body.scope = verdict.scope ?? req.body.scope;
  body.ext_expires_in = body.expires_in;
  if (verdict.user && String(body.scope).includes('offline_access'))
    refreshTokens.set(body.refresh_token, {user: verdict.user, client: req.body.client_id, scope: body.scope});
  else delete body.refresh_token;
});

service.on('beforeAuthorizeRedirect', (redirect, req) => {
  const q = req.query;
  const code = redirect.url.searchParams.get('code');
  const fail = (error, aadsts, description) => {
    redirect.url.searchParams.delete('code');
    redirect.url.searchParams.set('error', error);
    redirect.url.searchParams.set('error_description', `AADSTS${aadsts}: ${description}`);
  };
  if (!directory.public_clients.includes(q.client_id) && !(q.client_id in directory.confidential_clients))
    return fail('unauthorized_client', 700016, `Application with identifier '${q.client_id}' was not found in the directory.`);
  if (q.code_challenge_method !== 'S256' || !q.code_challenge)
    return fail('invalid_request', 501481, 'The Code_Challenge_Method or Code_Challenge is missing: PKCE (S256) is required.');
  const user = String(q.login_hint ?? '').toLowerCase();
  if (!userNamed(user))
    return fail('access_denied', 50020, `User account '${user}' from identity provider does not exist in tenant.`);
  codes.set(code, {user, client: q.client_id, redirect_uri: q.redirect_uri, scope: q.scope});
});

service.on('beforeIntrospect', (response, req) => {
  const claims = issuedAccess.get(req.body?.token);
  const now = Math.floor(Date.now() / 1000);
  const revoked = claims && userNamed(claims.upn)?.tokens === 'inactive';
  if (!claims || claims.exp <= now || revoked) {
    response.body = {active: false};
    return;
  }
  // scope (RFC 7662 2.2) is the delegated scopes too, for Dovecot's oauth2 passdb scope check.
  response.body = {active: true, username: claims.upn ?? claims.appid, aud: claims.aud,
                   scp: claims.scp, scope: claims.scp, roles: claims.roles, idtyp: claims.idtyp ?? 'user',
                   exp: claims.exp, client_id: claims.appid, token_type: 'Bearer'};
});

const handler = service.requestHandler;
const entraPath = /^\/([^/]+)\/oauth2\/v2\.0\/(token|authorize)(\?.*)?$/;

const tls = {key: readFileSync(args.key), cert: readFileSync(args.cert)};
const serve = (req, res) => {
  const match = entraPath.exec(req.url);
  console.log(`${new Date().toISOString()} ${req.method} ${req.url.replace(/\?.*/, '')}`);
  if (req.url.startsWith('/introspect')) {
    // RFC 7662 posts a form (Dovecot does); the mock parses only JSON bodies on this route.
    let form = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { form += chunk; });
    req.on('end', () => {
      req.body = Object.fromEntries(new URLSearchParams(form));
      req._body = true;  // body-parser: already read
      handler(req, res);
    });
    return;
  }
  if (!match) {
    res.writeHead(404, {'content-type': 'application/json'});
    return res.end(JSON.stringify({error: 'not_found'}));
  }
  const [, tenant, endpoint, query] = match;
  if (tenant !== directory.tenant && tenant !== directory.tenant_domain) {
    const error = entraError(400, 'invalid_tenant', 90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    res.writeHead(error.statusCode, {'content-type': 'application/json; charset=utf-8'});
    return res.end(JSON.stringify(error.body));
  }
  req.url = `/${endpoint}${query ?? ''}`;
  if (endpoint !== 'token') return handler(req, res);
  // The grant is decided before the mock sees it (a client assertion is verified asynchronously),
  // so the form is read here and handed on as parsed (body-parser skips a request with _body).
  let form = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { form += chunk; });
  req.on('end', async () => {
    req.body = Object.fromEntries(new URLSearchParams(form));
    req._body = true;
    req.entra = await checkGrant(req, tenant);
    handler(req, res);
  });
};

// 127.0.0.1, and ::1 where the machine has IPv6 loopback (a Debian /etc/hosts names both for
// localhost, and a client that takes the first address, as microsocks does for socks5h, may
// pick ::1); no IPv6 loopback is no error.
const twin = createServer(tls, serve);
twin.on('error', () => {});
twin.listen(port, '::1');
const server = createServer(tls, serve);
server.listen(port, '127.0.0.1', () => {
  writeFileSync(args.ready, `${port}\n`);
  console.log(`identity peer listening on https://localhost:${port}/${directory.tenant}/oauth2/v2.0/`);
});
