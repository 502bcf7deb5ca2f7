package org.waterspout.run;

/**
 * A PostgreSQL database for WaterSpout's history: the inputs of the PostgreSQL scripts in {@code
 * server-config/<server>/}.
 */
public record Database(String host, int port, String name, String user, String password) {

  /**
   * The argument of asadmin's {@code create-system-properties} that sets the properties the Payara
   * PostgreSQL scripts refer to (all but the password, which goes in as an alias or variable).
   */
  public String payaraSystemProperties() {
    return "waterspout.history.host="
        + host
        + ":waterspout.history.port="
        + port
        + ":waterspout.history.database="
        + name
        + ":waterspout.history.user="
        + user;
  }

  /** Without the password: this may end up in a log. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + name;
  }
}
