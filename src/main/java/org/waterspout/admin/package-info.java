/**
 * What admins use, in their server's own tools: management beans ({@code org.waterspout:type=...})
 * for JConsole and the server consoles, MicroProfile Health checks, Prometheus metrics at {@code
 * /metrics}, and the admin page with its API under {@code /api/admin}, for the {@code
 * waterspout-admin} role. Every figure and operation is this instance's: each instance of a cluster
 * has its own.
 */
package org.waterspout.admin;
