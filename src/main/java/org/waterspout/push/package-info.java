/**
 * The WebSocket boundary at {@code /ws}: the authentication handshake (first frame {@code
 * {"op":"auth","token":...}}), the client frame protocol, close codes, and the adapter that plugs
 * each authenticated socket into delivery.
 */
package org.waterspout.push;
