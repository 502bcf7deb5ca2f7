/**
 * WaterSpout's HTTP API under {@code /api}: the JAX-RS application and the error answers common to
 * its resources (the demo's and the admin page's).
 */
package org.waterspout.api;
