package org.waterspout.benchmark;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Figures of one configuration (history on or off), kept in a file so that the run of the other
 * configuration in the same {@code mvn verify -Pbenchmark} prints the two side by side, as ratios.
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

  /** Saves this configuration's figures; prints the comparison if the other one ran just now. */
  void finish(String otherLabel) throws IOException {
    Files.createDirectories(dir);
    try (Writer out = Files.newBufferedWriter(dir.resolve(label + ".properties"))) {
      figures.store(out, label);
    }
    Path other = dir.resolve(otherLabel + ".properties");
    if (!Files.exists(other)
        || Files.getLastModifiedTime(other).toInstant().isBefore(Instant.now().minus(SAME_RUN))) {
      return;
    }
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
