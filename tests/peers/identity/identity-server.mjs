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
//   - users whose tokens introspection calls inactive (revoked after issue), so resource
//     servers refuse them;
//   - /introspect (RFC 7662) that knows the tokens it issued, for Dovecot's oauth2 passdb and
//     the EWS test server: {active, username, aud, scp/roles, ...}.
//
// Usage: node identity-server.mjs --port P --cert CERT.pem --key KEY.pem --ready FILE
// Writes FILE once listening. Logs one line per request to stdout (never a secret).
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { randomUUID } from 'node:crypto';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) =>
    (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const directory = JSON.parse(readFileSync(new URL('./directory.json', import.meta.url)));
// User principal names are case-insensitive in Entra ID.
directory.users = Object.fromEntries(Object.entries(directory.users).map(([name, user]) => [name.toLowerCase(), user]));
const userNamed = (name) => directory.users[String(name ?? '').toLowerCase()];
const port = Number(args.port);

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

// Every grant is checked here, before the mock signs anything; returns an error or the user.
function checkGrant(req) {
  const body = req.body ?? {};
  const client = body.client_id;
  const confidential = directory.confidential_clients[client];
  if (!directory.public_clients.includes(client) && confidential === undefined)
    return {error: entraError(400, 'unauthorized_client', 700016,
      `Application with identifier '${client}' was not found in the directory '${directory.tenant_domain}'.`)};
  if (confidential !== undefined && body.client_secret !== confidential)
    return {error: entraError(401, 'invalid_client', 7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.')};
  if (!audienceOf(body.scope) && body.grant_type !== 'refresh_token')
    return {error: entraError(400, 'invalid_scope', 70011,
      `The provided request must include a 'scope' input parameter naming a resource.`)};
  switch (body.grant_type) {
    case 'client_credentials':
      if (confidential === undefined)
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
  });
  if (verdict.user) Object.assign(token.payload, {sub: verdict.user, upn: verdict.user,
                                                  preferred_username: verdict.user,
                                                  scp: delegatedScopes(scope)});
  // App-only: the application permission the admin granted for that resource (EWS's
  // full_access_as_app; Graph's Mail.ReadWrite).
  else Object.assign(token.payload, {roles: [token.payload.aud === 'https://graph.microsoft.com'
                                             ? 'Mail.ReadWrite' : 'full_access_as_app']});
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
  response.body = {active: true, username: claims.upn ?? claims.appid, aud: claims.aud,
                   scp: claims.scp, roles: claims.roles, exp: claims.exp, client_id: claims.appid,
                   token_type: 'Bearer'};
});

const handler = service.requestHandler;
const entraPath = /^\/([^/]+)\/oauth2\/v2\.0\/(token|authorize)(\?.*)?$/;

const server = createServer({key: readFileSync(args.key), cert: readFileSync(args.cert)}, (req, res) => {
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
  if (endpoint === 'token') {
    // Decide once the body is parsed: the mock's express parses it, then calls our hooks.
    req.entra = new Proxy({}, {get: (_, key) => (req.entraVerdict ??= checkGrant(req))[key]});
  }
  handler(req, res);
});

server.listen(port, '127.0.0.1', () => {
  writeFileSync(args.ready, `${port}\n`);
  console.log(`identity peer listening on https://localhost:${port}/${directory.tenant}/oauth2/v2.0/`);
});
