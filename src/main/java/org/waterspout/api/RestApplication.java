package org.waterspout.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** WaterSpout's HTTP API lives under {@code /api}. */
@ApplicationPath("api")
public class RestApplication extends Application {}
