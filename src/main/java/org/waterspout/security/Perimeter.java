package org.waterspout.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may reach WaterSpout's client paths, decided before a WebSocket upgrade or a stream: the
 * client's address against the IP allow and deny lists, and the page's {@code Origin} against the
 * allowed origins (cross-site WebSocket hijacking, CWE-1385: a browser sends a WebSocket handshake
 * to any site, with the user's cookies, so the server must look at where the page came from).
 *
 * <p>The client's address is the peer's, unless the peer is a trusted proxy: then it is the nearest
 * address in {@code Forwarded} (RFC 7239) or else {@code X-Forwarded-For} that is not itself a
 * trusted proxy, read from the right, so that what a client put in those headers itself never
 * counts. A request with no {@code Origin} (a server, a mobile app, a command-line client) is not a
 * cross-site page and passes the origin check.
 *
 * @param allow addresses that may connect; empty: any not denied
 * @param deny addresses that may not, even when allowed
 * @param trustedProxies peers whose forwarding headers name the client
 * @param origins origins allowed besides the server's own ({@code https://app.example.com}, {@code
 *     https://*.example.com}, or {@code *} for any)
 */
public record Perimeter(
    List<AddressRange> allow,
    List<AddressRange> deny,
    List<AddressRange> trustedProxies,
    List<String> origins) {

  /** One request as the perimeter sees it, free of the servlet API. */
  public record Request(
      String remoteAddress,
      String host,
      String origin,
      List<String> forwarded,
      List<String> forwardedFor,
      List<String> forwardedHost) {

    public Request {
      forwarded = List.copyOf(forwarded);
      forwardedFor = List.copyOf(forwardedFor);
      forwardedHost = List.copyOf(forwardedHost);
    }
  }

  public Perimeter {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    trustedProxies = List.copyOf(trustedProxies);
    origins = List.copyOf(origins.stream().map(Perimeter::normalizedPattern).toList());
  }

  /**
   * Reads comma-separated lists (blank: empty). Throws {@link IllegalArgumentException} naming the
   * entry that is not an address block or an origin.
   */
  public static Perimeter of(String allow, String deny, String trustedProxies, String origins) {
    return new Perimeter(ranges(allow), ranges(deny), ranges(trustedProxies), entries(origins));
  }

  /** Which defence refuses {@code request} (address or origin), or empty when it passes. */
  public Optional<Defences.Defence> check(Request request) {
    Optional<InetAddress> client = clientAddress(request);
    if (client.isEmpty() || !addressAllowed(client.get())) {
      return Optional.of(Defences.Defence.ADDRESS);
    }
    if (!originAllowed(request)) {
      return Optional.of(Defences.Defence.ORIGIN);
    }
    return Optional.empty();
  }

  /** Whether the lists let {@code address} in: not denied, and allowed when there is a list. */
  public boolean addressAllowed(InetAddress address) {
    if (deny.stream().anyMatch(r -> r.contains(address))) {
      return false;
    }
    return allow.isEmpty() || allow.stream().anyMatch(r -> r.contains(address));
  }

  /**
   * The client's address: the peer's, or when the peer is a trusted proxy the nearest one its
   * forwarding headers name that is not a trusted proxy too. Empty when the peer's address cannot
   * be read (never the case with a real socket).
   */
  public Optional<InetAddress> clientAddress(Request request) {
    Optional<InetAddress> peer = AddressRange.literal(request.remoteAddress());
    if (peer.isEmpty() || !trusted(peer.get())) {
      return peer;
    }
    List<String> hops =
        request.forwarded().isEmpty()
            ? split(request.forwardedFor())
            : forwardedFor(request.forwarded());
    InetAddress client = peer.get();
    for (int i = hops.size() - 1; i >= 0 && trusted(client); i--) {
      Optional<InetAddress> hop = AddressRange.literal(hops.get(i));
      if (hop.isEmpty()) {
        // "unknown", an obfuscated name or garbage: the nearest address read is the client.
        break;
      }
      client = hop.get();
    }
    return Optional.of(client);
  }

  private boolean trusted(InetAddress address) {
    return trustedProxies.stream().anyMatch(r -> r.contains(address));
  }

  private boolean originAllowed(Request request) {
    String origin = request.origin();
    if (origin == null) {
      return true;
    }
    if (origins.contains("*")) {
      return true;
    }
    Optional<Origin> parsed = Origin.parse(origin);
    if (parsed.isEmpty()) {
      // "null" (a sandboxed frame, a file: page) or garbage: only when listed as it is.
      return origins.contains(origin.strip());
    }
    Origin page = parsed.get();
    if (page.sameAuthority(serverAuthority(request))) {
      return true;
    }
    return origins.stream().anyMatch(page::matches);
  }

  /** The server's own host as the client named it: its Host, or a trusted proxy's word for it. */
  private String serverAuthority(Request request) {
    Optional<InetAddress> peer = AddressRange.literal(request.remoteAddress());
    if (peer.isPresent() && trusted(peer.get())) {
      List<String> hosts = split(request.forwardedHost());
      if (!hosts.isEmpty()) {
        return hosts.get(0);
      }
    }
    return request.host();
  }

  /** An origin's scheme, host and port (the scheme's default when it names none). */
  record Origin(String scheme, String host, int port) {

    static Optional<Origin> parse(String text) {
      try {
        URI uri = new URI(text.strip());
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null
            || host == null
            || (uri.getRawPath() != null && uri.getRawPath().length() > 1)) {
          return Optional.empty();
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return port < 0
            ? Optional.empty()
            : Optional.of(new Origin(scheme, host.toLowerCase(Locale.ROOT), port));
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    }

    /**
     * Whether this origin names the host of {@code authority} (a Host header): the same host, and
     * the same port when the header names one. A header without a port says nothing of the scheme
     * behind a TLS proxy, so then the origin must use its scheme's default port.
     */
    boolean sameAuthority(String authority) {
      if (authority == null || authority.isBlank()) {
        return false;
      }
      URI server;
      try {
        server = new URI("http://" + authority.strip());
      } catch (URISyntaxException e) {
        return false;
      }
      if (server.getHost() == null) {
        return false;
      }
      int named = server.getPort();
      return host.equals(server.getHost().toLowerCase(Locale.ROOT))
          && (named >= 0 ? port == named : port == defaultPort(scheme));
    }

    /** Whether a configured pattern allows this origin. */
    boolean matches(String pattern) {
      int wildcard = pattern.indexOf("://*.");
      if (wildcard < 0) {
        return parse(pattern).filter(this::equals).isPresent();
      }
      // scheme://*.example.com[:port]: any subdomain (not the domain itself).
      Optional<Origin> base =
          parse(pattern.substring(0, wildcard) + "://" + pattern.substring(wildcard + 5));
      return base.isPresent()
          && base.get().scheme.equals(scheme)
          && base.get().port == port
          && host.endsWith("." + base.get().host);
    }

    private static int defaultPort(String scheme) {
      return switch (scheme) {
        case "http", "ws" -> 80;
        case "https", "wss" -> 443;
        default -> -1;
      };
    }
  }

  private static String normalizedPattern(String pattern) {
    String p = pattern.strip();
    if (p.equals("*") || p.equals("null")) {
      return p;
    }
    String probe = p.replace("://*.", "://wildcard.");
    if (Origin.parse(probe).isEmpty()) {
      throw new IllegalArgumentException(
          "not an origin (scheme://host[:port], scheme://*.domain, * or null): " + pattern);
    }
    return p.toLowerCase(Locale.ROOT);
  }

  private static List<AddressRange> ranges(String list) {
    return entries(list).stream().map(AddressRange::parse).toList();
  }

  private static List<String> entries(String list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String entry : list.split(",")) {
        if (!entry.isBlank()) {
          out.add(entry.strip());
        }
      }
    }
    return out;
  }

  private static List<String> split(List<String> headerLines) {
    List<String> out = new ArrayList<>();
    for (String line : headerLines) {
      for (String entry : line.split(",")) {
        out.add(entry.strip());
      }
    }
    return out;
  }

  /** The {@code for} of each element of {@code Forwarded} lines, in order, unquoted, port-less. */
  static List<String> forwardedFor(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String element : split(lines)) {
      String value = "";
      for (String pair : element.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
          value = pair.substring(eq + 1).strip();
        }
      }
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      if (value.startsWith("[")) {
        int end = value.indexOf(']');
        value = end > 0 ? value.substring(1, end) : "";
      } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
        value = value.substring(0, value.indexOf(':'));
      }
      out.add(value);
    }
    return out;
  }
}
