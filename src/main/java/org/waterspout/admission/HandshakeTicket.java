package org.waterspout.admission;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.websocket.Session;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries a WebSocket handshake's ticket from {@link HandshakeFilter} to the socket's endpoint, as
 * a request parameter the filter adds to the request it hands on. The WebSocket API lets an
 * endpoint see the handshake's parameters but neither its client address nor the servlet request;
 * Tyrus (Payara) and Undertow (WildFly) both read the parameters off the request their upgrade
 * filter is given, which is this one. Whatever a client itself sends under the name is replaced.
 */
public final class HandshakeTicket {

  /** The parameter's name. */
  static final String PARAMETER = "waterspout.handshake";

  private HandshakeTicket() {}

  /** {@code request}, with {@code ticket} under {@link #PARAMETER}; as it is when null. */
  static HttpServletRequest carry(HttpServletRequest request, String ticket) {
    if (ticket == null) {
      return request;
    }
    return new HttpServletRequestWrapper(request) {
      @Override
      public String getQueryString() {
        String others = withoutTicket(super.getQueryString());
        return (others.isEmpty() ? "" : others + "&") + PARAMETER + "=" + ticket;
      }

      @Override
      public String getParameter(String name) {
        return PARAMETER.equals(name) ? ticket : super.getParameter(name);
      }

      @Override
      public String[] getParameterValues(String name) {
        return PARAMETER.equals(name) ? new String[] {ticket} : super.getParameterValues(name);
      }

      @Override
      public Map<String, String[]> getParameterMap() {
        Map<String, String[]> all = new LinkedHashMap<>(super.getParameterMap());
        all.put(PARAMETER, new String[] {ticket});
        return Collections.unmodifiableMap(all);
      }

      @Override
      public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
      }
    };
  }

  /** The ticket the filter gave {@code session}'s handshake; null when it gave none. */
  public static String of(Session session) {
    List<String> values = session.getRequestParameterMap().get(PARAMETER);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static String withoutTicket(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      if (pair.equals(PARAMETER) || pair.startsWith(PARAMETER + "=")) {
        continue;
      }
      if (kept.length() > 0) {
        kept.append('&');
      }
      kept.append(pair);
    }
    return kept.toString();
  }
}
