package org.waterspout.history;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The history schema, versioned with Flyway: each change of schema is a migration ({@code
 * db/waterspout/V<n>__<what>.sql}, or a Java one listed here), applied once and recorded in {@code
 * ws_schema_history}. Several instances that start together on one database take Flyway's lock in
 * turn (on PostgreSQL an advisory lock), so one migrates and the others find it done.
 *
 * <p>For a rolling upgrade (instances of two versions on one database for a while) every migration
 * only adds: new tables, new nullable or defaulted columns, new indexes, never a drop or a rename
 * of what a running version reads; what the new version no longer uses is removed by a later
 * release, once no instance of the old one is left. An instance of the older version that starts on
 * a database a newer one migrated ignores the versions it does not know (Flyway's default for
 * "future" migrations) and reads only what it knows, and reads a receipt state it does not know as
 * one to leave to the instances that do ({@link NotificationRow}).
 *
 * <p>A database whose tables the WaterSpout before Flyway created (no {@code ws_schema_history}) is
 * baselined at version 0 and brought up by the same migrations: version 1's statements are all
 * idempotent. The migrations are listed, not scanned: the class path of a WAR is a jar on Payara
 * and a virtual file system on WildFly, and a fixed list reads the same on both.
 */
@ApplicationScoped
public class HistoryMigrations {

  /** Where the SQL migrations are on the class path. */
  static final String LOCATION = "db/waterspout/";

  /** The SQL migrations, in order; a new one goes at the end, and none is ever edited. */
  static final List<String> SQL = List.of("V1__history.sql");

  /** Flyway's record of the applied versions. */
  static final String TABLE = "ws_schema_history";

  @Resource(lookup = "java:comp/env/jdbc/waterspout/history")
  DataSource dataSource;

  /**
   * Applies the migrations this version has and the database lacks; returns a line for the log.
   * Call outside any transaction: Flyway commits each migration on a connection of its own.
   */
  public String migrate() {
    MigrateResult result = flyway(dataSource, baselineNeeded(dataSource)).migrate();
    return result.migrationsExecuted == 0
        ? "History schema at version " + result.initialSchemaVersion + ", as this version needs"
        : "History schema migrated from version "
            + Objects.requireNonNullElse(result.initialSchemaVersion, "none")
            + " to "
            + result.targetSchemaVersion
            + " ("
            + result.migrationsExecuted
            + " migrations)";
  }

  /**
   * The migrations this version has and the database lacks (when a DBA applies them); migration 2
   * only where it has something to do (a database of the first schema), as Flyway's command line
   * has only the SQL ones.
   */
  public List<String> pending() {
    boolean firstSchema = query(dataSource, c -> hasTable(c, "ws_inbox"));
    return Arrays.stream(flyway(dataSource, false).info().pending())
        .filter(m -> firstSchema || !m.getVersion().equals(FirstSchemaToStreams.VERSION))
        .map(m -> m.getVersion() + " " + m.getDescription())
        .toList();
  }

  /** The version the database is at, or "none". */
  public String current() {
    MigrationInfo current = flyway(dataSource, false).info().current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  /**
   * Whether the database holds the tables of a WaterSpout before Flyway (this schema's, or the
   * first one's) and no record of migrations: only then is it baselined. Decided here rather than
   * left to Flyway's {@code baselineOnMigrate}, which looks at the schema before it takes its lock:
   * two instances that start together on an empty database would otherwise have the second try to
   * baseline the record the first has just created.
   */
  static boolean baselineNeeded(DataSource dataSource) {
    return query(
        dataSource,
        c -> (hasTable(c, "ws_notification") || hasTable(c, "ws_inbox")) && !hasTable(c, TABLE));
  }

  static Flyway flyway(DataSource dataSource) {
    return flyway(dataSource, baselineNeeded(dataSource));
  }

  static Flyway flyway(DataSource dataSource, boolean baseline) {
    return Flyway.configure(HistoryMigrations.class.getClassLoader())
        .dataSource(dataSource)
        .table(TABLE)
        .resourceProvider(new Listed())
        .javaMigrationClassProvider(new JavaMigrations())
        .baselineOnMigrate(baseline)
        .baselineVersion("0")
        .baselineDescription("tables of the WaterSpout before Flyway")
        .placeholderReplacement(false)
        .cleanDisabled(true)
        .load();
  }

  /** The SQL migrations of {@link #SQL}, read from the class path. */
  static final class Listed implements ResourceProvider {

    @Override
    public LoadableResource getResource(String name) {
      return SQL.contains(name) ? new Migration(name) : null;
    }

    @Override
    public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
      List<LoadableResource> found = new ArrayList<>();
      for (String name : SQL) {
        if (name.startsWith(prefix) && Arrays.stream(suffixes).anyMatch(name::endsWith)) {
          found.add(new Migration(name));
        }
      }
      return found;
    }
  }

  private static final class Migration extends LoadableResource {
    private final String name;

    Migration(String name) {
      this.name = name;
    }

    @Override
    public Reader read() {
      return new InputStreamReader(open(LOCATION + name), StandardCharsets.UTF_8);
    }

    @Override
    public String getAbsolutePath() {
      return LOCATION + name;
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return LOCATION + name;
    }

    @Override
    public String getFilename() {
      return name;
    }

    @Override
    public String getRelativePath() {
      return name;
    }
  }

  private static final class JavaMigrations implements ClassProvider<JavaMigration> {
    @Override
    public Collection<Class<? extends JavaMigration>> getClasses() {
      return List.of(FirstSchemaToStreams.class);
    }
  }

  /**
   * Version 2: a database of WaterSpout's first history schema (a sequence per user in {@code
   * ws_inbox}) gets its users' sequences as streams ({@code first-schema-to-streams.sql}); any
   * other database is left as it is.
   */
  public static final class FirstSchemaToStreams implements JavaMigration {

    static final String SCRIPT = LOCATION + "first-schema-to-streams.sql";

    static final MigrationVersion VERSION = MigrationVersion.fromVersion("2");

    @Override
    public MigrationVersion getVersion() {
      return VERSION;
    }

    @Override
    public String getDescription() {
      return "first schema's user sequences to streams";
    }

    @Override
    public Integer getChecksum() {
      return statements(SCRIPT).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
      return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
      Connection connection = context.getConnection();
      if (!hasTable(connection, "ws_inbox")) {
        return;
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(SCRIPT)) {
          statement.executeUpdate(sql);
        }
      }
    }
  }

  private interface Query {
    boolean ask(Connection connection) throws SQLException;
  }

  private static boolean query(DataSource dataSource, Query query) {
    try (Connection connection = dataSource.getConnection()) {
      return query.ask(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the history's tables: " + e.getMessage(), e);
    }
  }

  static boolean hasTable(Connection connection, String table) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE LOWER(table_name) = ? AND LOWER(table_schema) = LOWER(CURRENT_SCHEMA)")) {
      query.setString(1, table);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getLong(1) > 0;
      }
    }
  }

  /** A script's statements: one per line, comments and blank lines skipped. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(open(script), StandardCharsets.UTF_8))) {
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

  private static InputStream open(String resource) {
    return Objects.requireNonNull(
        HistoryMigrations.class.getClassLoader().getResourceAsStream(resource), resource);
  }
}
