package org.waterspout.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A STOMP 1.2 producer written against the wire protocol, as a client in any language would. */
public final class Stomp {

  private Stomp() {}

  /** Sends one message to the input queue with extra header lines, and waits for the receipt. */
  public static void send(String extraHeaders, String body) throws Exception {
    try (Socket socket = new Socket("localhost", 61616)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(frame("CONNECT\naccept-version:1.2\nhost:localhost\n\n"));
      assertTrue(readFrame(in).startsWith("CONNECTED"));
      out.write(
          frame(
              "SEND\ndestination:"
                  + OrderSystem.INPUT
                  + "\ndestination-type:ANYCAST\nreceipt:sent\n"
                  + extraHeaders
                  + "\n"
                  + body));
      assertTrue(readFrame(in).startsWith("RECEIPT"));
      out.write(frame("DISCONNECT\n\n"));
    }
  }

  private static byte[] frame(String text) {
    return (text + "\0").getBytes(StandardCharsets.UTF_8);
  }

  private static String readFrame(InputStream in) throws Exception {
    StringBuilder frame = new StringBuilder();
    int c;
    while ((c = in.read()) > 0) {
      frame.append((char) c);
    }
    return frame.toString().stripLeading();
  }
}
