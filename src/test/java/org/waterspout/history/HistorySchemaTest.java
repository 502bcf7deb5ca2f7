package org.waterspout.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistorySchemaTest {

  @Test
  void theScriptIsOneIdempotentStatementPerLine() {
    List<String> statements = HistorySchema.statements(HistorySchema.SCRIPT);

    assertEquals(12, statements.size(), statements::toString);
    for (String sql : statements) {
      assertTrue(
          sql.startsWith("CREATE TABLE IF NOT EXISTS ws_")
              || sql.startsWith("CREATE INDEX IF NOT EXISTS ws_")
              || sql.startsWith("INSERT INTO ws_lock (id) SELECT 1 WHERE NOT EXISTS"),
          sql);
      assertTrue(!sql.endsWith(";") && !sql.contains("--"), sql);
    }
  }

  @Test
  void theTablesAreReadFromTheScript() {
    assertEquals(
        List.of(
            "ws_notification",
            "ws_stream",
            "ws_stream_entry",
            "ws_stream_ack",
            "ws_receipt_target",
            "ws_pending",
            "ws_lock"),
        HistorySchema.tables(HistorySchema.statements(HistorySchema.SCRIPT)));
  }
}
