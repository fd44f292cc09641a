package net.totalorder.derms.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The DERMS HTTP API under {@code /derms/api} (derms-spec.md). */
@ApplicationPath("/api")
public class DermsApi extends Application {
}
