'use strict';
// HS256 JSON Web Tokens, minted by the harness with the secret it gave the server.
const crypto = require('crypto');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** A token for `sub` in `groups`, valid for `ttlSeconds`. */
function mint(secret, sub, groups, ttlSeconds) {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url(JSON.stringify({ sub, groups, iat: now, exp: now + ttlSeconds }));
  const signature = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${b64url(signature)}`;
}

module.exports = { mint };
