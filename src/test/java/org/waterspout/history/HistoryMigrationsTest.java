package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The migrations on a real H2 (the version the servers ship), from each state a database has. */
class HistoryMigrationsTest {

  private final JdbcDataSource db = new JdbcDataSource();

  HistoryMigrationsTest() {
    db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void anEmptyDatabaseGetsEveryTableAndIsNotMigratedTwice() throws Exception {
    Flyway flyway = HistoryMigrations.flyway(db);

    assertEquals(List.of("1", "2"), versions(flyway.info().pending()));
    assertEquals(2, flyway.migrate().migrationsExecuted);

    assertTrue(tables().containsAll(TABLES), tables()::toString);
    assertEquals(List.of("1"), column("SELECT id FROM ws_lock"));
    assertEquals(List.of("1", "2"), versions(flyway.info().applied()));
    assertEquals(0, HistoryMigrations.flyway(db).migrate().migrationsExecuted);
    assertEquals(List.of(), versions(flyway.info().pending()));
  }

  @Test
  void tablesFromTheScriptBeforeFlywayAreBaselinedAndKeepTheirRows() throws Exception {
    execute(HistoryMigrations.statements(HistoryMigrations.LOCATION + "V1__history.sql"));
    execute(List.of("INSERT INTO ws_stream (name, last_seq) VALUES ('group:support', 41)"));

    HistoryMigrations.flyway(db).migrate();

    assertEquals(List.of("0", "1", "2"), versions(HistoryMigrations.flyway(db).info().applied()));
    assertEquals(List.of("41"), column("SELECT last_seq FROM ws_stream"));
    assertEquals(List.of("1"), column("SELECT id FROM ws_lock"));
  }

  @Test
  void theFirstSchemasUserSequencesBecomeStreamsWithTheSameNumbers() throws Exception {
    execute(
        List.of(
            "CREATE TABLE ws_inbox (user_id VARCHAR(200) PRIMARY KEY, last_seq BIGINT NOT NULL,"
                + " acked_seq BIGINT NOT NULL)",
            "CREATE TABLE ws_delivery (user_id VARCHAR(200) NOT NULL, seq BIGINT NOT NULL,"
                + " notification_id VARCHAR(200) NOT NULL, accepted_at BIGINT NOT NULL,"
                + " PRIMARY KEY (user_id, seq))",
            "INSERT INTO ws_inbox VALUES ('pro-42', 7, 5)",
            "INSERT INTO ws_delivery VALUES ('pro-42', 7, 'wo-1001-routed', 1000)"));

    HistoryMigrations.flyway(db).migrate();

    assertEquals(List.of("user:pro-42 7"), column("SELECT name || ' ' || last_seq FROM ws_stream"));
    assertEquals(List.of("5"), column("SELECT acked_seq FROM ws_stream_ack"));
    assertEquals(
        List.of("user:pro-42 7 wo-1001-routed"),
        column("SELECT stream || ' ' || seq || ' ' || notification_id FROM ws_stream_entry"));
  }

  @Test
  void aDbaSeesMigrationTwoPendingOnlyOnADatabaseOfTheFirstSchema() throws Exception {
    HistoryMigrations migrations = new HistoryMigrations();
    migrations.dataSource = db;

    assertEquals(List.of("1 history"), migrations.pending());
    execute(List.of("CREATE TABLE ws_inbox (user_id VARCHAR(200) PRIMARY KEY)"));
    assertEquals(
        List.of("1 history", "2 first schema's user sequences to streams"), migrations.pending());
  }

  @Test
  void onlyTablesWithoutARecordOfMigrationsAreBaselined() throws Exception {
    assertEquals(false, HistoryMigrations.baselineNeeded(db));
    execute(HistoryMigrations.statements(HistoryMigrations.LOCATION + "V1__history.sql"));
    assertEquals(true, HistoryMigrations.baselineNeeded(db));
    HistoryMigrations.flyway(db).migrate();
    assertEquals(false, HistoryMigrations.baselineNeeded(db));
  }

  @Test
  void anOlderVersionIgnoresTheMigrationsOfANewerOne() throws Exception {
    HistoryMigrations.flyway(db).migrate();
    execute(
        List.of(
            // Flyway quotes its table's name and columns (lower case) on H2.
            "INSERT INTO \"ws_schema_history\" (\"installed_rank\", \"version\","
                + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                + " \"execution_time\", \"success\") VALUES (99, '3', 'later', 'SQL',"
                + " 'V3__later.sql', 0, 'newer', 1, TRUE)"));

    assertEquals(0, HistoryMigrations.flyway(db).migrate().migrationsExecuted);
  }

  @Test
  void aReceiptStateOfALaterVersionIsLeftAlone() {
    assertEquals(
        NotificationRow.ReceiptState.LATER_VERSION, NotificationRow.ReceiptState.of("SEND_XYZ"));
    assertEquals(
        NotificationRow.ReceiptState.SEND_DLVD, NotificationRow.ReceiptState.of("SEND_DLVD"));
    assertEquals(
        NotificationRow.ReceiptState.LATER_VERSION,
        NotificationRow.ReceiptState.of("LATER_VERSION"));
  }

  private static final List<String> TABLES =
      List.of(
          "ws_notification",
          "ws_stream",
          "ws_stream_entry",
          "ws_stream_ack",
          "ws_receipt_target",
          "ws_pending",
          "ws_lock",
          "ws_schema_history");

  private static List<String> versions(MigrationInfo[] migrations) {
    List<String> versions = new ArrayList<>();
    for (MigrationInfo m : migrations) {
      versions.add(m.getVersion().getVersion());
    }
    return versions;
  }

  private List<String> tables() throws SQLException {
    return column(
        "SELECT LOWER(table_name) FROM information_schema.tables WHERE table_schema = 'PUBLIC'");
  }

  private List<String> column(String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private void execute(List<String> statements) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
