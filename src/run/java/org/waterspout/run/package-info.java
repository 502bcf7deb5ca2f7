/**
 * Starting WaterSpout's servers for people and tests: the Artemis broker, Payara Micro, Payara
 * Server and WildFly, each set up with the project's server-config scripts. {@link
 * org.waterspout.run.Launcher} is what {@code mvn -Prun...} runs; the integration tests' setup
 * calls the same classes. Never part of the WAR.
 */
package org.waterspout.run;
