package org.waterspout.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Figures of one configuration (history on or off, on which store), kept in a file so that the
 * configurations that run after it in the same {@code mvn verify -Pbenchmark} print theirs beside
 * them, as ratios.
 */
final class Comparison {

  private static final Duration SAME_RUN = Duration.ofMinutes(30);

  private final Path dir = Path.of(System.getProperty("benchmark.dir", "target/benchmark"));
  private final String label;
  private final Properties figures = new Properties();

  Comparison(String label) {
    this.label = label;
  }

  void put(String name, double value) {
    figures.setProperty(name, Double.toString(value));
  }

  /**
   * Saves this configuration's figures, and prints them beside those of every other configuration
   * that ran just now (in the same {@code mvn verify -Pbenchmark}).
   */
  void finish() throws IOException {
    Files.createDirectories(dir);
    try (Writer out = Files.newBufferedWriter(dir.resolve(label + ".properties"))) {
      figures.store(out, label);
    }
    List<Path> others;
    try (Stream<Path> files = Files.list(dir)) {
      others =
          files
              .filter(f -> f.getFileName().toString().endsWith(".properties"))
              .filter(f -> !f.getFileName().toString().equals(label + ".properties"))
              .sorted()
              .toList();
    }
    for (Path other : others) {
      if (Files.getLastModifiedTime(other).toInstant().isAfter(Instant.now().minus(SAME_RUN))) {
        compare(other);
      }
    }
  }

  private void compare(Path other) throws IOException {
    String otherLabel = other.getFileName().toString().replaceFirst("\\.properties$", "");
    Properties theirs = new Properties();
    try (Reader in = Files.newBufferedReader(other)) {
      theirs.load(in);
    }
    for (String name : new java.util.TreeSet<>(figures.stringPropertyNames())) {
      if (theirs.getProperty(name) != null) {
        double mine = Double.parseDouble(figures.getProperty(name));
        double them = Double.parseDouble(theirs.getProperty(name));
        System.out.printf(
            "[benchmark] %s: %s %.2f, %s %.2f, ratio %s/%s %.2f%n",
            name, label, mine, otherLabel, them, label, otherLabel, mine / them);
      }
    }
  }
}
