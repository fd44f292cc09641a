package net.totalorder.replication.page;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import net.totalorder.replication.api.ReplicaStatus;
import net.totalorder.replication.api.ReplicationMonitor;

/**
 * {@code /replication/status} under the application's context root: this server's {@link ReplicaStatus} as JSON —
 * its role, epoch, leader, readiness, applied and definitive seqs, and each other member as it hears it — for the
 * cluster page beside it ({@code /replication/}). Part of the plugin: every application that uses it has the page.
 * Reads the status the node keeps up to date (no work on the apply thread). Thread-safe.
 */
@WebServlet(urlPatterns = "/replication/status")
public class ClusterStatusServlet extends HttpServlet {

    private static final Jsonb JSON = JsonbBuilder.create();

    @Inject
    transient ReplicationMonitor monitor;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        ReplicaStatus status;
        try {
            status = monitor.status();
        } catch (RuntimeException notUpYet) {             // the node is still starting
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.getWriter().write("{\"error\":\"the replication is not started yet\"}");
            return;
        }
        response.getWriter().write(JSON.toJson(status));
    }
}
