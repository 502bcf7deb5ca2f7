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

  @PersistenceContext(unitName = "waterspout-history")
  EntityManager em;

  /**
   * Runs every statement of the script through the persistence unit, in a transaction of its own (a
   * connection taken straight from an XA datasource outside a transaction need not commit, and on
   * WildFly did not); returns how many.
   */
  @Transactional(TxType.REQUIRES_NEW)
  public int create() {
    List<String> statements = statements();
    for (String sql : statements) {
      em.createNativeQuery(sql).executeUpdate();
    }
    return statements.size();
  }

  /** The script's statements: one per line, comments and blank lines skipped. */
  static List<String> statements() {
    List<String> statements = new ArrayList<>();
    try (InputStream in = HistorySchema.class.getClassLoader().getResourceAsStream(SCRIPT);
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    java.util.Objects.requireNonNull(in, SCRIPT), StandardCharsets.UTF_8))) {
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
