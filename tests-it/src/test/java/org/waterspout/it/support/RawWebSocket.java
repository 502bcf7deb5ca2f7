package org.waterspout.it.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client written by hand over a plain socket (RFC 6455: the HTTP upgrade, masked client
 * frames), for what real clients do not let a test choose: whether to answer the server's pings.
 * The JDK's client and every browser answer them on their own. It reads on a thread of its own,
 * records text frames, pings and the close frame, and answers pings only when told to.
 */
public final class RawWebSocket implements AutoCloseable {

  private static final int TEXT = 0x1;
  private static final int CLOSE = 0x8;
  private static final int PING = 0x9;
  private static final int PONG = 0xA;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final boolean answerPings;
  private final SecureRandom random = new SecureRandom();
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final AtomicInteger pings = new AtomicInteger();
  private final CompletableFuture<WsClient.Closed> closed = new CompletableFuture<>();

  private RawWebSocket(Socket socket, boolean answerPings) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
    this.answerPings = answerPings;
  }

  /** Upgrades a connection to {@link Server#WEBSOCKET}; fails unless the server answers 101. */
  public static RawWebSocket connect(boolean answerPings) throws IOException {
    return connect(new Socket(Server.WEBSOCKET.getHost(), Server.WEBSOCKET.getPort()), answerPings);
  }

  /** As {@link #connect(boolean)}, from the local address {@code local} (127.0.0.x). */
  public static RawWebSocket connectFrom(String local, boolean answerPings) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    socket.connect(
        new InetSocketAddress(Server.WEBSOCKET.getHost(), Server.WEBSOCKET.getPort()), 10_000);
    return connect(socket, answerPings);
  }

  private static RawWebSocket connect(Socket socket, boolean answerPings) throws IOException {
    RawWebSocket client = new RawWebSocket(socket, answerPings);
    client.handshake();
    Thread reader = new Thread(client::read, "raw-websocket-reader");
    reader.setDaemon(true);
    reader.start();
    return client;
  }

  private void handshake() throws IOException {
    byte[] key = new byte[16];
    random.nextBytes(key);
    String request =
        "GET "
            + Server.WEBSOCKET.getPath()
            + " HTTP/1.1\r\nHost: "
            + Server.WEBSOCKET.getHost()
            + ":"
            + Server.WEBSOCKET.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    String response = head.toString(StandardCharsets.US_ASCII);
    if (!response.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("no upgrade: " + response);
    }
  }

  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A text frame of exactly these bytes, valid UTF-8 or not (a well-behaved client cannot). */
  public void sendTextBytes(byte[] payload) throws IOException {
    send(TEXT, payload);
  }

  /** The next text frame, or null after {@code seconds}. */
  public String nextText(long seconds) throws InterruptedException {
    return texts.poll(seconds, TimeUnit.SECONDS);
  }

  /** Pings received so far. */
  public int pings() {
    return pings.get();
  }

  /** The server's close frame, once it came (or 1006 when the connection just ended). */
  public CompletableFuture<WsClient.Closed> closed() {
    return closed;
  }

  private synchronized void send(int opcode, byte[] payload) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
    frame.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      frame.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
    } else {
      frame.put((byte) (0x80 | 127)).putLong(payload.length);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.put((byte) (payload[i] ^ mask[i % 4]));
    }
    out.write(frame.array(), 0, frame.position());
    out.flush();
  }

  private void read() {
    try {
      while (!closed.isDone()) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        handle(first & 0x0F, payload);
      }
    } catch (EOFException e) {
      closed.complete(new WsClient.Closed(1006, "connection ended without a close frame"));
    } catch (IOException e) {
      closed.complete(new WsClient.Closed(1006, e.toString()));
    }
  }

  private void handle(int opcode, byte[] payload) throws IOException {
    switch (opcode) {
      case TEXT -> texts.add(new String(payload, StandardCharsets.UTF_8));
      case PING -> {
        pings.incrementAndGet();
        if (answerPings) {
          send(PONG, payload);
        }
      }
      case CLOSE -> {
        int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        String reason =
            payload.length > 2
                ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                : "";
        closed.complete(new WsClient.Closed(code, reason));
      }
      default -> {
        // Pongs and continuation frames: the server sends none of them to this client.
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
