/**
 * The notification model and its JSON codec: what the order system sends (the v1 JMS message
 * contract) and what a browser receives. Pure Java with JSON-P only; it imports no other WaterSpout
 * component, so every other component may depend on it.
 */
package org.waterspout.notification;
