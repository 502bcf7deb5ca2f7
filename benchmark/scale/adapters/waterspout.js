'use strict';
// The WaterSpout adapter: everything the generator knows about WaterSpout's frames and messages.
// Another system (Artemis STOMP over WebSocket, socket.io) gets a module with the same exports.
//
// Client side: newState() per session; open(state) gives the frames to send once the socket is
// open; onFrame(state, text) parses one frame and says what it was; ackFrame(state) gives the
// coalesced acknowledgement (or null). Sender side: message(...) gives the JMS body.
const { mint } = require('../lib/jwt');

const name = 'waterspout';

function url(opts) {
  return `ws://${opts.host}:${opts.port}/waterspout/ws`;
}

/** Per-session state: who it is and how far it has read in each stream. */
function newState(user, groups, secret) {
  return {
    user,
    groups,
    secret,
    seq: null, // user stream: last seq received
    offsets: {}, // group streams: last offset received, by stream name
    ackedSeq: null,
    ackedOffsets: {},
    streamsSupported: false, // the server sent "streams" in welcome (group streams protocol)
    resumed: false, // this state has read something before: resume from the cursors
  };
}

/** Frames to send right after the socket opens: authenticate with a fresh token. */
function open(state) {
  const token = mint(state.secret, state.user, state.groups, 6 * 3600);
  return [JSON.stringify({ op: 'auth', token })];
}

/**
 * Parses one server frame. Returns {kind, send?, data?} where kind is welcome | notification |
 * gap | error | pong | other; send holds frames to answer with (resume after welcome).
 */
function onFrame(state, text) {
  const f = JSON.parse(text);
  switch (f.op) {
    case 'notification': {
      if (f.stream !== undefined && f.offset !== undefined) {
        const last = state.offsets[f.stream];
        state.offsets[f.stream] = last === undefined ? f.offset : Math.max(last, f.offset);
      } else if (f.seq !== undefined) {
        // Today's main (and a user-stream notification): every notification carries seq.
        state.seq = state.seq === null ? f.seq : Math.max(state.seq, f.seq);
      }
      const cursor = f.offset !== undefined ? `${f.stream}@${f.offset}` : f.seq;
      return { kind: 'notification', data: f.data || {}, ackDue: true, cursor };
    }
    case 'welcome':
      return { kind: 'welcome', send: resumeFrames(state, f) };
    case 'gap':
      return { kind: 'gap', stream: f.stream || 'user', from: f.from, to: f.to };
    case 'error':
      return { kind: 'error', code: f.code, message: f.message };
    case 'pong':
      return { kind: 'pong' };
    default:
      return { kind: 'other' };
  }
}

// After welcome: a session that has read before resumes from its cursors; a new one starts live at
// the head (so notifications left unacknowledged by an earlier run are not replayed into this one).
function resumeFrames(state, w) {
  state.streamsSupported = w.streams !== undefined;
  if (w.seq === undefined && w.streams === undefined) {
    return []; // history off: nothing to resume
  }
  const frame = { op: 'resume' };
  if (!state.resumed) {
    state.resumed = true;
    if (w.seq !== undefined) state.seq = w.seq;
    for (const [s, v] of Object.entries(w.streams || {})) state.offsets[s] = v.offset;
  }
  if (state.seq !== null) frame.after = state.seq;
  if (state.streamsSupported && Object.keys(state.offsets).length > 0) {
    frame.streams = { ...state.offsets };
  }
  return [JSON.stringify(frame)];
}

/** The acknowledgement of everything read since the last one, or null. */
function ackFrame(state) {
  const frame = { op: 'ack' };
  let any = false;
  if (state.seq !== null && state.seq !== state.ackedSeq) {
    frame.seq = state.seq;
    state.ackedSeq = state.seq;
    any = true;
  }
  for (const [s, off] of Object.entries(state.offsets)) {
    if (state.ackedOffsets[s] !== off) {
      frame.streams = frame.streams || {};
      frame.streams[s] = off;
      state.ackedOffsets[s] = off;
      any = true;
    }
  }
  return any ? JSON.stringify(frame) : null;
}

/** The order system's JMS message (a persistent text message on waterspout.notifications). */
function message({ users, groups, data, id, body }) {
  const to = {};
  if (users) to.users = users;
  if (groups) to.groups = groups;
  const m = { type: 'bench.load', to, data };
  if (id) m.id = id;
  if (body) m.body = body;
  return JSON.stringify(m);
}

const broker = { host: '127.0.0.1', port: 61616, address: 'waterspout.notifications' };

/** Where readiness is checked and which process serves the sockets, per server. */
function health(server) {
  return server === 'wildfly'
    ? 'http://127.0.0.1:9990/health/ready'
    : 'http://127.0.0.1:8080/health/ready';
}

module.exports = { name, url, newState, open, onFrame, ackFrame, message, broker, health };
