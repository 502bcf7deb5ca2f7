package org.waterspout.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the history tables when they are missing, from {@code
 * META-INF/sql/waterspout-history.sql} (idempotent statements). WaterSpout runs it itself at every
 * start rather than through JPA schema generation: Payara's EclipseLink runs generation only at
 * deployment and WildFly's Hibernate at every start, and they read script files differently.
 */
@ApplicationScoped
public class HistorySchema {

  static final String SCRIPT = "META-INF/sql/waterspout-history.sql";

  /** Moves the first schema's per-user sequences into streams; run when its ws_inbox exists. */
  static final String UPGRADE_1 = "META-INF/sql/waterspout-history-upgrade-1.sql";

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  /**
   * Runs every statement of the script through the persistence unit, in a transaction of its own (a
   * connection taken straight from an XA datasource outside a transaction need not commit, and on
   * WildFly did not), unless every table of the script exists already; returns how many statements
   * it ran. Tables present, it runs no DDL at all: on PostgreSQL even {@code CREATE INDEX IF NOT
   * EXISTS} waits for a lock on its table, so a start-up would queue behind (and then ahead of) the
   * writes of any transaction on it, another instance's intake included.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public int create() {
    List<String> statements = statements(SCRIPT);
    List<?> present =
        em.createNativeQuery(
                "SELECT LOWER(table_name) FROM information_schema.tables"
                    + " WHERE LOWER(table_schema) = LOWER(CURRENT_SCHEMA)")
            .getResultList();
    if (present.containsAll(tables(statements))) {
      return 0;
    }
    List<String> run = new java.util.ArrayList<>(statements);
    if (present.contains("ws_inbox")) {
      run.addAll(statements(UPGRADE_1));
    }
    for (String sql : run) {
      em.createNativeQuery(sql).executeUpdate();
    }
    return run.size();
  }

  /** The tables the statements create, lower case. */
  static List<String> tables(List<String> statements) {
    List<String> tables = new ArrayList<>();
    for (String sql : statements) {
      java.util.regex.Matcher table = CREATE_TABLE.matcher(sql);
      if (table.lookingAt()) {
        tables.add(table.group(1).toLowerCase(java.util.Locale.ROOT));
      }
    }
    return tables;
  }

  private static final java.util.regex.Pattern CREATE_TABLE =
      java.util.regex.Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+)");

  /** The script's statements: one per line, comments and blank lines skipped. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    try (InputStream in = HistorySchema.class.getClassLoader().getResourceAsStream(script);
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    java.util.Objects.requireNonNull(in, script), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String sql = line.strip();
        if (!sql.isEmpty() && !sql.startsWith("--")) {
          statements.add(sql.endsWith(";") ? sql.substring(0, sql.length() - 1) : sql);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return statements;
  }
}
