/**
 * Self-protection: which WebSocket handshakes the server takes. A filter on {@code /ws} refuses a
 * handshake before the upgrade (HTTP 503 with {@code Retry-After}) when the session limit is
 * reached, when handshakes come faster than the configured rate, or when the heap is above its
 * watermark; the refusals are counted, and readiness reports the instance at capacity meanwhile.
 */
package org.waterspout.admission;
