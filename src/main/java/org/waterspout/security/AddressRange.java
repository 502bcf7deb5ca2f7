package org.waterspout.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}, or one
 * address without a prefix length). An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) is the
 * IPv4 address it maps, as Java reads it.
 *
 * @param network the block's first bytes (4 or 16)
 * @param prefix how many leading bits of an address must equal the network's
 */
public record AddressRange(byte[] network, int prefix) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  public AddressRange {
    network = network.clone();
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  /** Reads {@code a.b.c.d[/n]} or {@code h:h::h[/n]}; names are refused (no lookup is made). */
  public static AddressRange parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes =
        literal(address)
            .map(InetAddress::getAddress)
            .orElseThrow(
                () -> new IllegalArgumentException("not an IP address or CIDR block: " + text));
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a prefix length in " + text, e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length out of 0.." + bits + " in " + text);
      }
    }
    return new AddressRange(masked(bytes, prefix), prefix);
  }

  /**
   * The address a literal names, without any name lookup: empty for anything else (a host name, a
   * bracketed or zoned address, garbage).
   */
  public static Optional<InetAddress> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    boolean v4 = IPV4.matcher(s).matches();
    boolean v6 = !v4 && s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // A literal: InetAddress parses it and makes no lookup.
      return Optional.of(InetAddress.getByName(s));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code address} lies in this block (never across IPv4 and IPv6). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange other
        && prefix == other.prefix
        && Arrays.equals(network, other.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
