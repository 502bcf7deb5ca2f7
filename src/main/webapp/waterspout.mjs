/*
 * WaterSpout's browser client as an ES module:
 *   import { connect } from "/waterspout/waterspout.mjs";
 *   const client = connect({ token: async () => ..., onNotification: (n) => ... });
 * The same client as waterspout.js (see there), which this loads once.
 */
import "./waterspout.js";

const base = new URL(".", import.meta.url).toString();

/** WaterSpout.connect, with the server this module came from as the default base. */
export function connect(options) {
  return globalThis.WaterSpout.connect(Object.assign({ base: base }, options));
}

export const WaterSpout = { connect: connect };
export default WaterSpout;
