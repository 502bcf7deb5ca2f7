/**
 * WaterSpout's settings: every configuration key and JNDI name in one place, read through
 * MicroProfile Config (system properties, environment variables, the server's config sources).
 */
package org.waterspout.config;
