/**
 * Who a client is: verification of the signed tokens (HS256 JWT) that the business web application
 * issues, and, in demo mode only, minting of such tokens.
 */
package org.waterspout.security;
