/**
 * The demo behind the start page: in demo mode only ({@code waterspout.demo.enabled=true}, which
 * the run command sets), it mints tokens for any user and sends test messages through the real JMS
 * input queue. Outside demo mode every demo URL answers 404.
 */
package org.waterspout.demo;
